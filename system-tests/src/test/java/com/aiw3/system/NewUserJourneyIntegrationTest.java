package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.trading.TradingEvent.TradeRecorded;
import com.aiw3.local.TradePublisher;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A user the platform has never seen, with their own wallet and no development seeding: their trades
 * arrive from the trading platform, they claim their first NFT, earn and activate badges and upgrade,
 * all through api-gateway, each step live on their stream and in the audit log once.
 */
class NewUserJourneyIntegrationTest {

    private final Platform platform = Platform.get();

    @Test
    void aNewUserTradesClaimsTheirFirstNftActivatesBadgesAndUpgradesSeeingEveryStepLive() throws Exception {
        Wallet wallet = Wallet.create(platform);
        User carol = User.signIn(platform, Journeys.uniqueUser("carol"), wallet);
        User operator = User.operator(platform);

        try (EventStream stream = EventStream.open(platform, carol)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !stream.ofType("connection_established").isEmpty());
            assertThat(carol.get("/api/v1/nft/mine").status()).isEqualTo(404);

            // Before any trade the claim is answered like an unqualified upgrade, and nothing is written.
            User.Reply early = carol.send("POST", "/api/v1/nft/claim", "{}");
            assertThat(early.status()).as(early.toString()).isEqualTo(202);
            assertThat(early.json().path("status").asString()).isEqualTo("qualification_failed");

            // The trading platform's trades; one of them delivered twice counts once.
            trade(carol, "1", "200000");
            trade(carol, "1", "200000");
            trade(carol, "2", "200000");
            trade(carol, "3", "150000");
            // The third trade crosses 500,000 USD: its badge is earned in the transaction that records it.
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(
                                    codes(carol.get("/api/v1/badges").json().path("owned")))
                            .contains("volume-500k"));

            // The first NFT, minted by the platform into the user's own wallet.
            User.Reply claimed = carol.send("POST", "/api/v1/nft/claim", "{}");
            assertThat(claimed.status()).as(claimed.toString()).isEqualTo(202);
            String claimId = claimed.json().path("claimId").asString();
            List<String> claimSteps =
                    statusesUntilEnd(carol, claimed.json().path("eventsUrl").asString());
            System.out.printf("[system] claim %s live: %s%n", claimId, claimSteps);
            assertThat(claimSteps).doesNotHaveDuplicates().last().isEqualTo("completed");
            JsonNode mine = carol.get("/api/v1/nft/mine").json();
            assertThat(mine.path("walletAddress").asString()).isEqualTo(wallet.address);
            assertThat(mine.path("tier").path("level").asInt()).isEqualTo(1);
            assertThat(Chain.mintSupply(platform, mine.path("mintAddress").asString()))
                    .isEqualTo(1);

            assertThat(volume(carol.get("/api/v1/nft/qualification?targetTierId=2")
                            .json()))
                    .as("the trade delivered twice counts once")
                    .isEqualTo(550_000);

            // A claim is once per user, ever.
            User.Reply again = carol.send("POST", "/api/v1/nft/claim", "{}");
            assertThat(again.status()).as(again.toString()).isEqualTo(409);
            assertThat(again.isProblem()).isTrue();

            // Badges earned by the trades and the claim; the two the next tier needs are activated.
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(
                                    codes(carol.get("/api/v1/badges").json().path("owned")))
                            .contains("first-trade", "volume-100k", "volume-250k", "volume-500k"));
            for (String code : List.of("first-trade", "volume-100k")) {
                User.Reply activation = carol.send("POST", "/api/v1/badges/" + code + "/activate", "{}");
                assertThat(activation.status() / 100).as(activation.toString()).isEqualTo(2);
                List<String> steps = statusesUntilEnd(
                        carol, activation.json().path("eventsUrl").asString());
                System.out.printf("[system] badge %s activation live: %s%n", code, steps);
            }
            assertThat(codes(carol.get("/api/v1/badges").json().path("activated")))
                    .containsExactlyInAnyOrder("first-trade", "volume-100k");

            // The upgrade: the user's wallet signs and sends the burn itself.
            JsonNode upgrade = carol.requestUpgrade();
            String upgradeId = upgrade.path("upgradeId").asString();
            assertThat(upgrade.path("status").asString()).isEqualTo("awaiting_burn");
            String signature =
                    wallet.signAndSend(platform, upgrade.path("burnTransaction").asString());
            assertThat(carol.confirmBurn(upgradeId, signature).status()).isEqualTo(202);
            assertThat(Journeys.awaitTerminal(carol, upgradeId, Duration.ofSeconds(60)))
                    .isEqualTo("completed");

            // One stream told the whole story, in order.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> stream.ofType("nft_upgrade_status").stream()
                            .anyMatch(e -> e.data().path("status").asString().equals("completed")));
            List<String> story = stream.events().stream()
                    .map(e -> switch (e.type()) {
                        case "nft_claim_status", "nft_upgrade_status" ->
                            e.type() + ":" + e.data().path("status").asString();
                        default -> e.type();
                    })
                    .filter(s -> s.startsWith("badge_") || s.endsWith(":completed"))
                    .toList();
            System.out.printf("[system] %s's stream: %s%n", carol.id, story);
            assertThat(story)
                    .containsSubsequence(
                            "badge_earned",
                            "nft_claim_status:completed",
                            "badge_activated",
                            "badge_activated",
                            "nft_upgrade_status:completed");
            assertThat(stream.events()).extracting(EventStream.Event::id).doesNotHaveDuplicates();

            // The audit log holds each step once; analytics counts the claim and the activations.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<JsonNode> records = List.copyOf(operator.get("/api/v1/audit/events?size=500&userId=" + carol.id)
                        .json()
                        .path("items")
                        .valueStream()
                        .toList());
                assertThat(records)
                        .extracting(r -> r.path("type").asString())
                        .containsSubsequence("TradeRecorded", "NftClaimed", "BadgeActivated", "UpgradeCompleted");
                assertThat(records)
                        .extracting(r -> r.path("eventId").asString())
                        .doesNotHaveDuplicates();
                // The trade published twice is two events, each recorded once; the volume counted it once.
                assertThat(records)
                        .extracting(r -> r.path("type").asString())
                        .filteredOn("TradeRecorded"::equals)
                        .hasSize(4);
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode stats = carol.get("/api/v1/analytics/users/" + carol.id + "/stats")
                        .json();
                assertThat(stats.path("level").asInt()).isEqualTo(2);
                assertThat(stats.path("claimedAt").isString())
                        .as(stats.toString())
                        .isTrue();
                JsonNode badges = carol.get("/api/v1/analytics/users/" + carol.id + "/badges")
                        .json();
                assertThat(badges.path("activated").asInt())
                        .as(badges.toString())
                        .isEqualTo(2);
            });
            JsonNode chain = operator.get("/api/v1/audit/verify").json();
            assertThat(chain.path("intact").asBoolean()).as(chain.toString()).isTrue();
        }
    }

    private void trade(User user, String n, String amountUsd) throws Exception {
        TradePublisher.publish(
                platform.kafkaBootstrap(),
                new TradeRecorded("trade-" + user.id + "-" + n, user.id, new BigDecimal(amountUsd), Instant.now()));
    }

    private static long volume(JsonNode qualification) {
        return qualification
                .path("requirements")
                .valueStream()
                .filter(r -> r.path("code").asString().equals("TRADING_VOLUME_USD"))
                .mapToLong(r -> r.path("actual").asLong())
                .findFirst()
                .orElse(-1);
    }

    private static List<String> codes(JsonNode badges) {
        return badges.valueStream().map(b -> b.path("code").asString()).toList();
    }

    /** Follows a process's own stream to its end; returns the statuses it showed, in order. */
    private List<String> statusesUntilEnd(User user, String eventsUrl) {
        assertThat(eventsUrl).startsWith("/api/");
        try (EventStream progress = EventStream.process(platform, user, eventsUrl)) {
            await().atMost(Duration.ofSeconds(60)).until(progress::ended);
            assertThat(progress.lastStatus()).isEqualTo(200);
            return progress.events().stream()
                    .flatMap(e -> Stream.ofNullable(e.data().path("status").asString(null)))
                    .toList();
        }
    }
}
