package com.aiw3.upgrade.tier;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.testing.TestPostgres;
import com.aiw3.upgrade.support.UpgradeTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** The local run's development holder, seeded again when the chain is fresh but the database is not. */
@SpringBootTest(
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1",
            "aiw3.upgrade.solana.rpc-url=http://127.0.0.1:9",
            "aiw3.upgrade.ipfs.api-url=http://127.0.0.1:9",
            "aiw3.upgrade.dev-seed.user-id=seed-user",
            "aiw3.upgrade.dev-seed.wallet=" + DevHolderSeedIntegrationTest.WALLET,
            "aiw3.upgrade.dev-seed.nft-mint=" + DevHolderSeedIntegrationTest.FIRST_CHAIN_MINT
        })
@EmbeddedKafka(partitions = 1)
class DevHolderSeedIntegrationTest {

    static final String WALLET = "SeedWa11et111111111111111111111111111111111";
    static final String FIRST_CHAIN_MINT = "FirstChainMint11111111111111111111111111111";
    static final String NEXT_CHAIN_MINT = "NextChainMint1111111111111111111111111111111";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "devseed");
        registry.add("aiw3.upgrade.solana.system-wallet-key", () -> UpgradeTestSupport.SYSTEM_WALLET_KEY);
        registry.add("aiw3.upgrade.solana.metadata-update-authority", () -> UpgradeTestSupport.UPDATE_AUTHORITY);
    }

    @Autowired
    DevHolderSeed seed;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aFreshChainWithTheSameDatabaseSeedsTheHolderAgainWithItsBadgesActivated() {
        // On the previous chain an upgrade consumed one of the seeded badges.
        jdbc.sql("update badges set status = 'consumed', consumed_at = now()"
                        + " where user_id = 'seed-user' and code = 'first-trade'")
                .update();

        Boolean seeded = transactions.execute(status -> seed.holder("seed-user", WALLET, NEXT_CHAIN_MINT));

        assertThat(seeded).isTrue();
        assertThat(jdbc.sql("select code || ':' || status from badges where user_id = 'seed-user' order by code")
                        .query(String.class)
                        .list())
                .isEqualTo(List.of("ai-explorer:activated", "first-trade:activated"));
        assertThat(jdbc.sql("select mint_address || ':' || status from user_nfts where user_id = 'seed-user'")
                        .query(String.class)
                        .list())
                .containsExactlyInAnyOrder(FIRST_CHAIN_MINT + ":burned", NEXT_CHAIN_MINT + ":active");
    }

    @Test
    void theChainItWasSeededOnChangesNothing() {
        Boolean seeded = transactions.execute(status -> seed.holder("seed-user", WALLET, FIRST_CHAIN_MINT));

        assertThat(seeded).isFalse();
    }
}
