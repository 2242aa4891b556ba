package com.aiw3.upgrade;

import com.aiw3.testing.OperableServiceTest;
import com.aiw3.upgrade.support.UpgradeTestSupport;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1",
            // Never called by this test: it checks probes and metrics only.
            "aiw3.upgrade.solana.rpc-url=http://127.0.0.1:9",
            "aiw3.upgrade.ipfs.api-url=http://127.0.0.1:9"
        })
@EmbeddedKafka(partitions = 1)
class UpgradeServiceApplicationIntegrationTest extends OperableServiceTest {

    @DynamicPropertySource
    static void systemWallet(DynamicPropertyRegistry registry) {
        registry.add("aiw3.upgrade.solana.system-wallet-key", () -> UpgradeTestSupport.SYSTEM_WALLET_KEY);
        registry.add("aiw3.upgrade.solana.metadata-update-authority", () -> UpgradeTestSupport.UPDATE_AUTHORITY);
    }
}
