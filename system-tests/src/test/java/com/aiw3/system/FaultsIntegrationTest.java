package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.local.Announcement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Crashes and outages while users are mid-flow. Each asserts that nothing is lost and nothing is done
 * twice: upgrades reach a terminal state, the chain holds exactly one new NFT per completed upgrade, the
 * audit log has each event once, stream clients miss and repeat nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIntegrationTest {

    private final Platform platform = Platform.get();

    @Test
    @Order(1)
    void killingUpgradeServiceMidMintMintsExactlyOnceAndTheUpgradeCompletesAfterRestart() throws Exception {
        User carol = Journeys.holder(platform, "carol");
        platform.rpc().mode(RpcProxy.Mode.HOLD_SENT_TRANSACTIONS);
        String id;
        try {
            id = Journeys.upgradeThroughBurn(carol);
            // The mint transaction reached the chain; upgrade-service is waiting for the answer.
            assertThat(platform.rpc().awaitHeldTransaction(Duration.ofSeconds(60)))
                    .isTrue();
            platform.crash("upgrade-service");
        } finally {
            platform.rpc().mode(RpcProxy.Mode.PASS);
        }
        platform.launch("upgrade-service");
        platform.awaitReady("upgrade-service");

        assertThat(Journeys.awaitTerminal(carol, id, Duration.ofSeconds(90))).isEqualTo("completed");
        JsonNode upgrade = carol.get("/api/v1/nft/upgrade/" + id).json();
        String mint = upgrade.path("newMintAddress").asString();
        assertThat(Chain.mintSupply(platform, mint))
                .as("supply of the new NFT %s", mint)
                .isEqualTo(1);
        assertCompletedOnceInTheAuditLog(id);
    }

    @Test
    @Order(2)
    void killingSseGatewayWithClientsConnectedMakesThemResumeWithNothingMissedOrRepeated() throws Exception {
        List<EventStream> clients = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                EventStream stream = EventStream.open(platform, User.signIn(platform, Journeys.uniqueUser("viewer")));
                clients.add(stream);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !stream.ofType("connection_established").isEmpty());
            }
            String run = Journeys.uniqueUser("run");
            for (int i = 0; i < 5; i++) {
                sent.add(announce(run + " before " + i));
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            clients.stream().allMatch(c -> announcements(c, run).size() == 5));

            platform.crash("sse-gateway");
            for (int i = 0; i < 5; i++) {
                sent.add(announce(run + " while down " + i));
            }
            platform.launch("sse-gateway");
            platform.awaitReady("sse-gateway");
            for (int i = 0; i < 5; i++) {
                sent.add(announce(run + " after " + i));
            }

            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            clients.stream().allMatch(c -> announcements(c, run).size() >= sent.size()));
            for (EventStream client : clients) {
                assertThat(announcements(client, run)).containsExactlyElementsOf(sent);
                assertThat(client.connects()).as("reconnected after the crash").isGreaterThanOrEqualTo(2);
            }
            System.out.printf(
                    "[system] sse-gateway kill -9: %d clients resumed, each got all %d events once, in order%n",
                    clients.size(), sent.size());
        } finally {
            clients.forEach(EventStream::close);
        }
    }

    @Test
    @Order(3)
    void aKafkaBrokerRestartMidFlowLosesNothing() throws Exception {
        User dave = Journeys.holder(platform, "dave");
        try (EventStream stream = EventStream.open(platform, dave)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !stream.ofType("connection_established").isEmpty());
            JsonNode upgrade = dave.requestUpgrade();
            String id = upgrade.path("upgradeId").asString();

            platform.kafka().stop(true);
            try {
                String signature = dave.signAndSendBurn(upgrade);
                assertThat(dave.confirmBurn(id, signature).status()).isEqualTo(202);
                // The upgrade goes on without the broker: its events wait in the outbox.
                assertThat(Journeys.awaitTerminal(dave, id, Duration.ofSeconds(60)))
                        .isEqualTo("completed");
            } finally {
                platform.kafka().launch();
            }

            await().atMost(Duration.ofSeconds(90))
                    .until(() -> stream.ofType("nft_upgrade_status").stream()
                            .anyMatch(e -> e.data().path("status").asString().equals("completed")));
            assertCompletedOnceInTheAuditLog(id);
        }
    }

    @Test
    @Order(4)
    void postgresUnreachableForTenSecondsLosesNothing() throws Exception {
        List<User> users = new ArrayList<>();
        List<String> upgrades = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            User user = Journeys.holder(platform, "erin");
            users.add(user);
            upgrades.add(Journeys.upgradeThroughBurn(user));
        }
        platform.database().cut();
        platform.consumersDatabase().cut();
        CompletableFuture.runAsync(
                        () -> {
                            try {
                                platform.database().restore();
                                platform.consumersDatabase().restore();
                            } catch (java.io.IOException e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        CompletableFuture.delayedExecutor(10, TimeUnit.SECONDS))
                .join();

        for (int i = 0; i < users.size(); i++) {
            assertThat(Journeys.awaitTerminal(users.get(i), upgrades.get(i), Duration.ofSeconds(120)))
                    .isEqualTo("completed");
            assertCompletedOnceInTheAuditLog(upgrades.get(i));
        }
    }

    @Test
    @Order(5)
    void solanaRpcAnswering500sThenTimingOutFor30SecondsIsRetriedUntilTheMintLands() throws Exception {
        User frank = Journeys.holder(platform, "frank");
        String id = Journeys.upgradeThroughBurn(frank);
        platform.rpc().mode(RpcProxy.Mode.FAIL_500);
        CompletableFuture.runAsync(
                        () -> platform.rpc().mode(RpcProxy.Mode.HANG),
                        CompletableFuture.delayedExecutor(15, TimeUnit.SECONDS))
                .thenRunAsync(
                        () -> platform.rpc().mode(RpcProxy.Mode.PASS),
                        CompletableFuture.delayedExecutor(15, TimeUnit.SECONDS))
                .join();

        String status = Journeys.awaitTerminal(frank, id, Duration.ofSeconds(120));
        System.out.printf("[system] after 30 s of RPC 500s and timeouts: %s%n", status);
        assertThat(status).isEqualTo("completed");
        String mint = frank.get("/api/v1/nft/upgrade/" + id)
                .json()
                .path("newMintAddress")
                .asString();
        assertThat(Chain.mintSupply(platform, mint)).isEqualTo(1);
        assertCompletedOnceInTheAuditLog(id);
    }

    private void assertCompletedOnceInTheAuditLog(String upgradeId) throws Exception {
        User operator = User.operator(platform);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<JsonNode> records = Journeys.auditRecords(operator, upgradeId);
            assertThat(records)
                    .filteredOn(r -> r.path("type").asString().equals("UpgradeCompleted"))
                    .hasSize(1);
            assertThat(records).extracting(r -> r.path("eventId").asString()).doesNotHaveDuplicates();
        });
    }

    private String announce(String message) throws Exception {
        Announcement.publish(platform.kafkaBootstrap(), message);
        return message;
    }

    private static List<String> announcements(EventStream stream, String run) {
        return stream.ofType("feature_announcement").stream()
                .map(e -> e.data().path("message").asString())
                .filter(m -> m.startsWith(run))
                .toList();
    }
}
