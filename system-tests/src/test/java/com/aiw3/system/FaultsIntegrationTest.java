package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.trading.TradingEvent.TradeRecorded;
import com.aiw3.local.Announcement;
import com.aiw3.local.TradePublisher;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
        String id = crashUpgradeServiceOnceItsMintIsSent(() -> Journeys.upgradeThroughBurn(carol));

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
    void killingUpgradeServiceMidClaimMintMintsExactlyOnceAndTheClaimCompletesAfterRestart() throws Exception {
        Wallet wallet = Wallet.create(platform);
        User grace = User.signIn(platform, Journeys.uniqueUser("grace"), wallet);
        TradePublisher.publish(
                platform.kafkaBootstrap(),
                new TradeRecorded("trade-" + grace.id + "-1", grace.id, new BigDecimal("20000"), Instant.now()));
        // The restarted upgrade-service may first wait for the crashed member of its consumer group to expire.
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(grace.get("/api/v1/badges")
                                .json()
                                .path("owned")
                                .valueStream()
                                .map(b -> b.path("code").asString())
                                .toList())
                        .contains("first-trade"));

        String claimId = crashUpgradeServiceOnceItsMintIsSent(() -> {
            User.Reply claimed = grace.send("POST", "/api/v1/nft/claim", "{}");
            assertThat(claimed.status()).as(claimed.toString()).isEqualTo(202);
            return claimed.json().path("claimId").asString();
        });

        String[] status = new String[1];
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    status[0] = grace.get("/api/v1/nft/claims/" + claimId)
                            .json()
                            .path("status")
                            .asString();
                    return status[0].equals("completed") || status[0].equals("failed");
                });
        assertThat(status[0]).isEqualTo("completed");
        JsonNode claim = grace.get("/api/v1/nft/claims/" + claimId).json();
        JsonNode mine = grace.get("/api/v1/nft/mine").json();
        String mint = mine.path("mintAddress").asString();
        assertThat(mine.path("walletAddress").asString()).isEqualTo(wallet.address);
        assertThat(claim.path("mintAddress").asString())
                .as("the claim's NFT is the one in the wallet")
                .isEqualTo(mint);
        assertThat(Chain.mintSupply(platform, mint))
                .as("supply of the claimed NFT %s", mint)
                .isEqualTo(1);
        User operator = User.operator(platform);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<JsonNode> records = List.copyOf(operator.get("/api/v1/audit/events?size=500&userId=" + grace.id)
                    .json()
                    .path("items")
                    .valueStream()
                    .toList());
            assertThat(records)
                    .filteredOn(r -> r.path("type").asString().equals("NftClaimed"))
                    .hasSize(1);
            assertThat(records).extracting(r -> r.path("eventId").asString()).doesNotHaveDuplicates();
        });
    }

    @Test
    @Order(3)
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

            // The gateway balances the clients over both sse-gateway instances; the first instance is killed.
            List<EventStream> crashedInstanceClients = clients.stream()
                    .filter(c -> c.ofType("connection_established")
                            .getFirst()
                            .data()
                            .path("data")
                            .path("instance")
                            .asString()
                            .equals("sse-gateway"))
                    .toList();
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
            }
            // The clients of the crashed instance reconnected (to the other instance, or to it once restarted).
            assertThat(crashedInstanceClients).isNotEmpty();
            for (EventStream client : crashedInstanceClients) {
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
    @Order(4)
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
    @Order(5)
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
    @Order(6)
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

    /**
     * Starts a process (returning its id) while the RPC proxy holds sent transactions; once its mint transaction
     * reached the chain and upgrade-service waits for the answer, kills upgrade-service with kill -9 and starts it
     * again.
     */
    private String crashUpgradeServiceOnceItsMintIsSent(Callable<String> start) throws Exception {
        platform.rpc().mode(RpcProxy.Mode.HOLD_SENT_TRANSACTIONS);
        String id;
        try {
            id = start.call();
            assertThat(platform.rpc().awaitHeldTransaction(Duration.ofSeconds(60)))
                    .isTrue();
            platform.crash("upgrade-service");
        } finally {
            platform.rpc().mode(RpcProxy.Mode.PASS);
        }
        platform.launch("upgrade-service");
        platform.awaitReady("upgrade-service");
        return id;
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
