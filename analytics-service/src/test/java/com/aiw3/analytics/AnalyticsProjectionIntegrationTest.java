package com.aiw3.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.events.EventPayload;
import com.aiw3.events.notification.Channel;
import com.aiw3.events.notification.NotificationOutcome;
import com.aiw3.events.presence.DeliveryEvent;
import com.aiw3.events.presence.PresenceEvent;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=2"
        })
@EmbeddedKafka(partitions = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsProjectionIntegrationTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final String ALICE = "alice-" + UUID.randomUUID();
    private static final String BOB = "bob-" + UUID.randomUUID();
    private static final String CAROL = "carol-" + UUID.randomUUID();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "analytics");
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Autowired
    JdbcClient jdbc;

    private TestHttp http;

    private static EventEnvelope<?> at(Instant when, EventPayload payload) {
        return new EventEnvelope<>(
                EventIds.next(),
                com.aiw3.events.catalog.EventCatalog.typeOf(payload.getClass()).name(),
                1,
                when,
                payload.partitionKey(),
                EventIds.next(),
                null,
                "test",
                payload);
    }

    private List<EventEnvelope<?>> history() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c1 = UUID.randomUUID();
        UUID c2 = UUID.randomUUID();
        List<EventEnvelope<?>> events = new ArrayList<>();
        // Alice: initiated -> burn verified after 40 s -> completed 20 s later, consuming two badges.
        events.add(at(T0, new UpgradeEvent.UpgradeInitiated(a, ALICE, "wA", "mA", 1, 2)));
        events.add(at(T0.plusSeconds(40), new UpgradeEvent.BurnVerified(a, ALICE, "sigA", "mA")));
        events.add(at(
                T0.plusSeconds(60),
                new UpgradeEvent.UpgradeCompleted(
                        a,
                        ALICE,
                        1,
                        2,
                        new UpgradeEvent.MintedNft("newA", 2, "Silver", 2, "ipfs://x", "mintSig"),
                        List.of("b1", "b2"))));
        // Bob: initiated, never burned.
        events.add(at(T0.plusSeconds(5), new UpgradeEvent.UpgradeInitiated(b, BOB, "wB", "mB", 1, 2)));
        events.add(at(T0.plusSeconds(305), new UpgradeEvent.BurnFailed(b, BOB, "no burn within 5 minutes")));
        // Carol: two completed upgrades, the later one (to level 3) arrives first.
        events.add(at(
                T0.plusSeconds(200),
                new UpgradeEvent.UpgradeCompleted(
                        c2, CAROL, 2, 3, new UpgradeEvent.MintedNft("c2", 3, "Gold", 3, "ipfs://y", "s2"), List.of())));
        events.add(at(
                T0.plusSeconds(100),
                new UpgradeEvent.UpgradeCompleted(
                        c1,
                        CAROL,
                        1,
                        2,
                        new UpgradeEvent.MintedNft("c1", 2, "Silver", 2, "ipfs://z", "s1"),
                        List.of("b3"))));
        // Bob claimed his first NFT before his upgrade; another user's claim was not qualified.
        UUID bobsClaim = UUID.randomUUID();
        UUID unqualified = UUID.randomUUID();
        events.add(at(T0.minusSeconds(100), new ClaimEvent.ClaimInitiated(bobsClaim, BOB, "wB", 1)));
        events.add(at(T0.minusSeconds(100), new ClaimEvent.ClaimQualificationVerified(bobsClaim, BOB, 1)));
        events.add(at(
                T0.minusSeconds(70),
                new ClaimEvent.NftClaimed(
                        bobsClaim, BOB, "wB", new UpgradeEvent.MintedNft("mB", 1, "Bronze", 1, "ipfs://b", "sB"))));
        events.add(at(T0.minusSeconds(50), new ClaimEvent.ClaimInitiated(unqualified, "dan", "wD", 1)));
        events.add(at(
                T0.minusSeconds(50),
                new ClaimEvent.ClaimQualificationFailed(
                        unqualified,
                        "dan",
                        1,
                        List.of(new UpgradeEvent.Requirement("TRADING_VOLUME_USD", "Trading volume", 10000, 5)))));
        // Notifications and real-time deliveries.
        events.add(at(
                T0, new NotificationOutcome.NotificationDelivered(UUID.randomUUID(), ALICE, Channel.REALTIME, null)));
        events.add(at(T0, new NotificationOutcome.NotificationDelivered(UUID.randomUUID(), BOB, Channel.SMS, "SM1")));
        events.add(
                at(T0, new NotificationOutcome.NotificationFailed(UUID.randomUUID(), BOB, Channel.PUSH, "503", false)));
        events.add(at(T0, new DeliveryEvent.RealtimeEventDelivered(ALICE, UUID.randomUUID(), "sse-1", 1)));
        events.add(at(T0, new DeliveryEvent.RealtimeEventUndelivered(BOB, UUID.randomUUID(), "sse-1", "no stream")));
        // Presence out of order: Alice came online at T0+10, the stale "offline" of T0 arrives after it.
        events.add(at(T0.plusSeconds(10), new PresenceEvent.UserCameOnline(ALICE, "sse-1", 1, T0.plusSeconds(10))));
        events.add(at(T0, new PresenceEvent.UserWentOffline(ALICE, "sse-1", T0)));
        return events;
    }

    @BeforeAll
    void publishTheHistoryTwice() {
        http = new TestHttp(port);
        List<EventEnvelope<?>> events = history();
        events.forEach(e -> kafka.send(e.topic().name(), e.key(), e));
        events.forEach(e -> kafka.send(e.topic().name(), e.key(), e));
        kafka.flush();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("select count(*) from messaging_processed_event")
                                .query(Long.class)
                                .single()
                        == events.size());
        // Every redelivery has been read too once the duplicates counter saw all of them.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(new TestHttp(port)
                                .getAs("ops", "operator", "/actuator/prometheus")
                                .body())
                        .contains(
                                "aiw3_inbox_events_total{application=\"analytics-service\",consumer=\"analytics-projector\",outcome=\"duplicate\"} "
                                        + events.size() + ".0"));
    }

    @Test
    void startsAndAnswersProbesAndMetrics() {
        com.aiw3.testing.ServiceProbes.assertOperable(port);
    }

    @Test
    void userStatsCountEachUpgradeOnceAndKeepTheLevelOfTheLatestOne() {
        assertThat(http.getAs(ALICE, "user", "/api/v1/analytics/users/" + ALICE + "/stats")
                        .body())
                .contains("\"level\":2", "\"upgradesCompleted\":1", "\"badgesConsumed\":2");
        assertThat(http.getAs("ops", "operator", "/api/v1/analytics/users/" + CAROL + "/stats")
                        .body())
                .contains("\"level\":3", "\"upgradesCompleted\":2", "\"badgesConsumed\":1");
    }

    @Test
    void levelDistributionAndLeaderboard() {
        assertThat(http.getAs(BOB, "user", "/api/v1/analytics/levels").body())
                .isEqualTo("[{\"level\":1,\"users\":1},{\"level\":2,\"users\":1},{\"level\":3,\"users\":1}]");
        assertThat(http.getAs(BOB, "user", "/api/v1/analytics/leaderboard?size=2")
                        .body())
                .startsWith("{\"items\":[{\"rank\":1,\"userId\":\"" + CAROL + "\",\"level\":3,\"upgradesCompleted\":2},"
                        + "{\"rank\":2,\"userId\":\"" + ALICE + "\"")
                .endsWith("\"page\":0,\"size\":2,\"hasNext\":true}");
    }

    @Test
    void funnelConversionAndStepDurations() {
        String funnel = http.getAs(
                        "ops", "operator", "/api/v1/analytics/funnel?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z")
                .body();
        assertThat(funnel)
                .contains("\"initiated\":2", "\"burnVerified\":1", "\"completed\":1")
                .contains("\"burnConversion\":0.5", "\"completionConversion\":1.0", "\"overallConversion\":0.5")
                .contains("\"initiatedToBurnVerified\":{\"p50Seconds\":40.0,\"p95Seconds\":40.0}")
                .contains("\"burnVerifiedToCompleted\":{\"p50Seconds\":20.0")
                .contains("\"burn_failed\":1", "\"completed\":1}");
    }

    @Test
    void claimsAreCountedByHowTheyEndedAndTheClaimantsStatsSayWhen() {
        assertThat(http.getAs(
                                "ops",
                                "operator",
                                "/api/v1/analytics/claims?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z")
                        .body())
                .contains("\"initiated\":2", "\"qualified\":1", "\"completed\":1")
                .contains("\"qualificationRate\":0.5", "\"completionConversion\":1.0")
                .contains("\"endedByStatus\":{\"completed\":1,\"qualification_failed\":1}");
        assertThat(http.getAs(BOB, "user", "/api/v1/analytics/users/" + BOB + "/stats")
                        .body())
                .contains("\"level\":1", "\"claimedAt\":\"" + T0.minusSeconds(70));
        assertThat(http.getAs(BOB, "user", "/api/v1/analytics/claims").statusCode())
                .isEqualTo(403);
    }

    @Test
    void theTimeFromTheVerifiedBurnToTheCompletionIsMeasuredOnceForEachUpgradeWithBoth() {
        // Alice's upgrade, delivered twice: 20 s from BurnVerified to UpgradeCompleted. Carol's have no burn here.
        String metrics = http.getAs("ops", "operator", "/actuator/prometheus").body();

        assertThat(metrics)
                .containsPattern(
                        "aiw3_upgrade_confirm_to_completed_seconds_count\\{application=\"analytics-service\"} 1(\\.0)?\n")
                .containsPattern(
                        "aiw3_upgrade_confirm_to_completed_seconds_sum\\{application=\"analytics-service\"} 20\\.0\n")
                .containsPattern(
                        "aiw3_upgrade_confirm_to_completed_seconds_bucket\\{application=\"analytics-service\",le=\"120\\.0\"} 1(\\.0)?\n");
    }

    @Test
    void notificationAndRealtimeFigures() {
        assertThat(http.getAs("ops", "operator", "/api/v1/analytics/notifications")
                        .body())
                .contains("{\"channel\":\"push\",\"outcome\":\"failed\",\"total\":1}")
                .contains("{\"channel\":\"realtime\",\"outcome\":\"delivered\",\"total\":1}")
                .contains("{\"channel\":\"sms\",\"outcome\":\"delivered\",\"total\":1}");
        assertThat(http.getAs("ops", "operator", "/api/v1/analytics/realtime").body())
                .isEqualTo("{\"usersOnline\":1,\"delivered\":1,\"undelivered\":1}");
    }

    @Test
    void usersReadOnlyTheirOwnFiguresAndOperatorViewsNeedTheRole() {
        assertThat(http.getAs(BOB, "user", "/api/v1/analytics/users/" + ALICE + "/stats")
                        .statusCode())
                .isEqualTo(403);
        assertThat(http.getAs(BOB, "user", "/api/v1/analytics/funnel").statusCode())
                .isEqualTo(403);
        HttpResponse<String> anonymous = http.getAnonymously("/api/v1/analytics/levels");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        for (String bad : List.of(
                "/api/v1/analytics/leaderboard?size=0",
                "/api/v1/analytics/leaderboard?page=-1",
                "/api/v1/analytics/funnel?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z",
                "/api/v1/analytics/funnel?from=monday")) {
            HttpResponse<String> response = http.getAs("ops", "operator", bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(bad).hasValue("application/problem+json");
        }
        assertThat(http.getAs("nobody", "user", "/api/v1/analytics/users/nobody/stats")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void eachBadgeEarnedAndActivatedIsCountedOnceHoweverOftenItIsDelivered() {
        String dave = "dave-" + UUID.randomUUID();
        String erin = "erin-" + UUID.randomUUID();
        EventEnvelope<?> daveFirstTrade =
                at(T0, new UserEvent.BadgeEarned(dave, "You earned First Trade", "first-trade", "First Trade"));
        List<EventEnvelope<?>> badges = List.of(
                daveFirstTrade,
                at(T0, new UserEvent.BadgeEarned(dave, "You earned Volume 100K", "volume-100k", "Volume 100K")),
                at(
                        T0.plusSeconds(60),
                        new UserEvent.BadgeActivated(
                                dave, "You activated First Trade", "first-trade", "First Trade", UUID.randomUUID())),
                at(T0, new UserEvent.BadgeEarned(erin, "You earned First Trade", "first-trade", "First Trade")),
                // Not a badge: not counted, and skipped before the inbox.
                at(T0, new UserEvent.PriceAlertTriggered(dave, "SOL at 180", "SOL", new java.math.BigDecimal("180"))));
        // Every event twice, and Dave's first badge again under a new event id (a producer's retry).
        badges.forEach(e -> kafka.send(e.topic().name(), e.key(), e));
        badges.forEach(e -> kafka.send(e.topic().name(), e.key(), e));
        EventEnvelope<?> republished = at(T0, daveFirstTrade.payload());
        kafka.send(republished.topic().name(), republished.key(), republished);
        // Last on each user's partition: once these are applied, everything before them was read.
        List<EventEnvelope<?>> last = List.of(
                at(T0, new UserEvent.BadgeEarned(dave, "You earned Regular", "trades-10", "Regular")),
                at(T0, new UserEvent.BadgeEarned(erin, "You earned Regular", "trades-10", "Regular")));
        last.forEach(e -> kafka.send(e.topic().name(), e.key(), e));
        kafka.flush();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("select count(*) from messaging_processed_event where event_id in (:ids)")
                                .param(
                                        "ids",
                                        last.stream()
                                                .map(EventEnvelope::eventId)
                                                .toList())
                                .query(Long.class)
                                .single()
                        == 2);

        assertThat(http.getAs(dave, "user", "/api/v1/analytics/users/" + dave + "/badges")
                        .body())
                .isEqualTo("{\"userId\":\"" + dave + "\",\"earned\":3,\"activated\":1}");
        assertThat(http.getAs("ops", "operator", "/api/v1/analytics/users/" + erin + "/badges")
                        .body())
                .isEqualTo("{\"userId\":\"" + erin + "\",\"earned\":2,\"activated\":0}");
        assertThat(http.getAs(erin, "user", "/api/v1/analytics/badges").body())
                .isEqualTo("{\"earned\":5,\"activated\":1}");
        assertThat(http.getAs(erin, "user", "/api/v1/analytics/users/" + dave + "/badges")
                        .statusCode())
                .isEqualTo(403);
        assertThat(jdbc.sql("select count(*) from messaging_processed_event where event_id = :id")
                        .param("id", badges.getLast().eventId())
                        .query(Long.class)
                        .single())
                .as("an event analytics does not count takes no inbox row")
                .isZero();
        assertThat(http.getAnonymously("/v3/api-docs").body())
                .contains("/api/v1/analytics/users/{userId}/badges", "/api/v1/analytics/badges");
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpoint() {
        assertThat(http.getAnonymously("/v3/api-docs").body())
                .contains("\"openapi\":\"3.")
                .contains(
                        "/api/v1/analytics/users/{userId}/stats",
                        "/api/v1/analytics/levels",
                        "/api/v1/analytics/leaderboard",
                        "/api/v1/analytics/funnel",
                        "/api/v1/analytics/claims",
                        "/api/v1/analytics/notifications",
                        "/api/v1/analytics/realtime");
    }
}
