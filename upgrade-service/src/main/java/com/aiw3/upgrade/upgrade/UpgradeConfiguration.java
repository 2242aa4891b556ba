package com.aiw3.upgrade.upgrade;

import com.aiw3.upgrade.UpgradeProperties;
import com.aiw3.upgrade.chain.SolanaChain;
import com.aiw3.upgrade.metadata.MetadataStore;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class UpgradeConfiguration {

    @Bean
    SolanaChain solanaChain(UpgradeProperties properties) {
        return new SolanaChain(properties.solana());
    }

    @Bean
    MetadataStore metadataStore(UpgradeProperties properties, JsonMapper json) {
        return new MetadataStore(properties.ipfs(), json);
    }

    @Bean
    InstanceId instanceId(@Value("${HOSTNAME:}") String hostname) {
        return new InstanceId(Optional.of(hostname).filter(h -> !h.isBlank()).orElse("upgrade-" + UUID.randomUUID())
                + "-" + ProcessHandle.current().pid());
    }
}
