package com.aiw3.upgrade;

import static com.aiw3.upgrade.support.UpgradeTestSupport.claim;
import static com.aiw3.upgrade.support.UpgradeTestSupport.claimEvents;
import static com.aiw3.upgrade.support.UpgradeTestSupport.confirmBurn;
import static com.aiw3.upgrade.support.UpgradeTestSupport.get;
import static com.aiw3.upgrade.support.UpgradeTestSupport.json;
import static com.aiw3.upgrade.support.UpgradeTestSupport.signAndLand;
import static com.aiw3.upgrade.support.UpgradeTestSupport.start;
import static com.aiw3.upgrade.support.UpgradeTestSupport.status;
import static com.aiw3.upgrade.support.UpgradeTestSupport.upgradeEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.ClaimStatus;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.events.upgrade.UpgradeStatus;
import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TestPostgres;
import com.aiw3.upgrade.support.Holders;
import com.aiw3.upgrade.support.Holders.Claimant;
import com.aiw3.upgrade.support.Holders.Holder;
import com.aiw3.upgrade.support.KuboStub;
import com.aiw3.upgrade.support.SolanaRpcStub;
import com.aiw3.upgrade.support.UpgradeTestSupport;
import com.aiw3.upgrade.support.WireTransaction;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The service stopped in the middle of a mint and started again (a new instance on the same database):
 * the upgrade, or the claim, completes with exactly one NFT on chain.
 */
@EmbeddedKafka(partitions = 1)
class UpgradeRecoveryIntegrationTest {

    static final SolanaRpcStub RPC = new SolanaRpcStub();
    static final KuboStub KUBO = new KuboStub();
    static final TestPostgres.Database DB = TestPostgres.freshSchema("upgrade_recovery");

    @AfterAll
    static void stopStubs() {
        RPC.close();
        KUBO.close();
    }

    @BeforeEach
    void cleanChain() {
        RPC.reset();
        KUBO.reset();
    }

    private static ConfigurableApplicationContext instance() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        // Command-line arguments: they outrank application.yml, as the deployment's environment does.
        return new SpringApplicationBuilder(UpgradeServiceApplication.class)
                .run(Stream.of(
                                "server.port=0",
                                "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                                "aiw3.messaging.topics.max-partitions=1",
                                "spring.datasource.url=" + DB.jdbcUrl(),
                                "spring.datasource.username=" + DB.username(),
                                "spring.datasource.password=" + DB.password(),
                                "spring.flyway.schemas=" + DB.schema(),
                                "spring.flyway.default-schema=" + DB.schema(),
                                "aiw3.upgrade.sweep-interval=200ms",
                                "aiw3.upgrade.lease=3s",
                                "aiw3.upgrade.mint-retry.initial-backoff=20ms",
                                "aiw3.upgrade.solana.confirm-poll-interval=20ms",
                                "aiw3.upgrade.solana.confirm-timeout=1s",
                                "aiw3.upgrade.solana.rpc-url=" + RPC.url(),
                                "aiw3.upgrade.solana.system-wallet-key=" + UpgradeTestSupport.SYSTEM_WALLET_KEY,
                                "aiw3.upgrade.solana.metadata-update-authority=" + UpgradeTestSupport.UPDATE_AUTHORITY,
                                "aiw3.upgrade.ipfs.api-url=" + KUBO.url())
                        .map(property -> "--" + property)
                        .toArray(String[]::new));
    }

    private static TestHttp http(ConfigurableApplicationContext context) {
        return new TestHttp(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    /** Runs an upgrade on a first instance up to the moment its mint is on the wire, then stops it. */
    private static String stoppedWhileMinting(Holder[] holder) {
        ConfigurableApplicationContext first = instance();
        try {
            TestHttp http = http(first);
            holder[0] = new Holders(first.getBean(JdbcClient.class)).qualifiedForTier2();
            Holder h = holder[0];
            var started = json(start(http, h.userId(), 2));
            String id = started.get("upgradeId").asString();
            String signature =
                    signAndLand(RPC, h, started.get("burnTransaction").asString());
            assertThat(confirmBurn(http, h.userId(), id, signature).statusCode())
                    .isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> RPC.calls("sendTransaction") == 1);
            assertThat(status(http, h.userId(), id)).isEqualTo("minting_new_nft");
            return id;
        } finally {
            first.close();
        }
    }

    @Test
    void aMintThatLandedWhileTheServiceWasStoppingIsFoundNotSentAgain() {
        RPC.slowSends(3_000); // lands at once; the node's answer is still on its way when we stop
        Holder[] holder = new Holder[1];
        String id = stoppedWhileMinting(holder);

        try (ConfigurableApplicationContext second = instance()) {
            TestHttp http = http(second);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> status(http, holder[0].userId(), id), "completed"::equals);
            assertThat(RPC.sent())
                    .as("the restarted service sends no second mint")
                    .hasSize(1);
            String mint = json(get(http, holder[0].userId(), "/api/v1/nft/upgrade/" + id))
                    .get("newMintAddress")
                    .asString();
            assertThat(RPC.accountCreated(mint)).isTrue();
            assertCompletedOnce(id);
        }
    }

    @Test
    void aMintDroppedWhileTheServiceWasStoppingIsSentAgainToTheSameMintAddress() {
        RPC.dropSends(3_000); // never lands
        Holder[] holder = new Holder[1];
        String id = stoppedWhileMinting(holder);
        RPC.normalSends();

        try (ConfigurableApplicationContext second = instance()) {
            TestHttp http = http(second);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> status(http, holder[0].userId(), id), "completed"::equals);
            List<WireTransaction> sent = RPC.sent();
            assertThat(sent).hasSizeGreaterThanOrEqualTo(2);
            // Every attempt creates the same derived account, so at most one of them can ever land.
            assertThat(sent)
                    .extracting(tx -> tx.accountKeys().get(1))
                    .containsOnly(sent.getFirst().accountKeys().get(1));
            assertCompletedOnce(id);
        }
    }

    @Test
    void aClaimWhoseMintLandedWhileTheServiceWasStoppingCompletesWithoutASecondMint() {
        RPC.slowSends(3_000); // lands at once; the node's answer is still on its way when we stop
        Claimant claimant;
        String id;
        ConfigurableApplicationContext first = instance();
        try {
            TestHttp http = http(first);
            claimant = new Holders(first.getBean(JdbcClient.class)).claimant(25_000);
            var started = claim(http, claimant.userId(), claimant.walletAddress());
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            id = json(started).get("claimId").asString();
            await().atMost(Duration.ofSeconds(20)).until(() -> RPC.calls("sendTransaction") == 1);
            assertThat(json(get(http, claimant.userId(), "/api/v1/nft/claims/" + id))
                            .get("status")
                            .asString())
                    .isEqualTo("minting_nft");
        } finally {
            first.close();
        }

        try (ConfigurableApplicationContext second = instance()) {
            TestHttp http = http(second);
            String path = "/api/v1/nft/claims/" + id;
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> json(get(http, claimant.userId(), path))
                                    .get("status")
                                    .asString(),
                            "completed"::equals);
            assertThat(RPC.sent())
                    .as("the restarted service sends no second mint")
                    .hasSize(1);
            assertThat(RPC.accountCreated(json(get(http, claimant.userId(), path))
                            .get("mintAddress")
                            .asString()))
                    .isTrue();
            List<ClaimEvent> events =
                    claimEvents(EmbeddedKafkaCondition.getBroker().getBrokersAsString(), UUID.fromString(id));
            assertThat(events).extracting(ClaimEvent::status).containsOnlyOnce(ClaimStatus.COMPLETED);
            assertThat(events).extracting(ClaimEvent::status).endsWith(ClaimStatus.COMPLETED);
            assertThat(second.getBean(JdbcClient.class)
                            .sql("select count(*) from user_nfts where user_id = :u")
                            .param("u", claimant.userId())
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
        }
    }

    private static void assertCompletedOnce(String id) {
        // The status is read from the database; the outbox relays the completion to the topic just after.
        // The broker is looked up here: the condition keeps it for the test's thread, not Awaitility's.
        String brokers = EmbeddedKafkaCondition.getBroker().getBrokersAsString();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<UpgradeEvent> events = upgradeEvents(brokers, UUID.fromString(id));
            assertThat(events).extracting(UpgradeEvent::status).containsOnlyOnce(UpgradeStatus.COMPLETED);
            assertThat(events).extracting(UpgradeEvent::status).endsWith(UpgradeStatus.COMPLETED);
        });
    }
}
