package com.aiw3.upgrade.upgrade;

import com.aiw3.upgrade.UpgradeProperties;
import com.aiw3.upgrade.chain.SolanaChain;
import com.aiw3.upgrade.metadata.MetadataStore;
import io.micrometer.observation.ObservationRegistry;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class UpgradeConfiguration {

    @Bean
    SolanaChain solanaChain(UpgradeProperties properties, ObservationRegistry observations) {
        return new SolanaChain(properties.solana(), observations);
    }

    /** Boot's builder: its client is observed as {@code http.client.requests}, as the RPC client is. */
    @Bean
    MetadataStore metadataStore(UpgradeProperties properties, JsonMapper json, RestClient.Builder http) {
        return new MetadataStore(properties.ipfs(), json, http);
    }

    @Bean
    InstanceId instanceId(@Value("${HOSTNAME:}") String hostname) {
        return new InstanceId(Optional.of(hostname).filter(h -> !h.isBlank()).orElse("upgrade-" + UUID.randomUUID())
                + "-" + ProcessHandle.current().pid());
    }
}
