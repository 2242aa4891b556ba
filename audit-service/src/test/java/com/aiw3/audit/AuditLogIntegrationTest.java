package com.aiw3.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aiw3.audit.log.ChainVerifier;
import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.trading.TradingEvent;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TestIdentities;
import com.aiw3.testing.TestPostgres;
import com.aiw3.web.IdentityHeaders;
import com.aiw3.web.IdentitySigner;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
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
            "aiw3.messaging.topics.max-partitions=2",
            "aiw3.audit.verify.page-size=50",
            "aiw3.audit.verify.full-initial-delay=1h"
        })
@EmbeddedKafka(partitions = 2)
class AuditLogIntegrationTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "audit");
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ChainVerifier verifier;

    private int recordsOf(String userId) {
        return jdbc.sql("select count(*) from audit_record where record_key = ?")
                .param(userId)
                .query(Integer.class)
                .single();
    }

    private void publish(List<EventEnvelope<?>> events) {
        events.forEach(e -> kafka.send(e.topic().name(), e.key(), e));
        kafka.flush();
    }

    private List<EventEnvelope<?>> journey(String user) {
        UUID upgrade = UUID.randomUUID();
        var initiated =
                EventEnvelope.of(new UpgradeEvent.UpgradeInitiated(upgrade, user, "W", "M", 1, 2), "upgrade-service");
        return List.of(
                initiated,
                EventEnvelope.causedBy(
                        initiated, new UpgradeEvent.QualificationVerified(upgrade, user, 2), "upgrade-service"),
                EventEnvelope.of(
                        new UserEvent.PriceAlertTriggered(user, "SOL!", "SOL", new BigDecimal("180.00")), "trading"),
                EventEnvelope.of(
                        new BroadcastEvent.FeatureAnnounced(EventIds.next(), "New pairs", List.of("BONK/USDT")),
                        "ops"));
    }

    @Test
    void startsAndAnswersProbesAndMetrics() {
        com.aiw3.testing.ServiceProbes.assertOperable(port);
    }

    @Test
    void theOpenApiDocumentDescribesTheAuditApi() {
        HttpResponse<String> docs = get("/v3/api-docs", false);

        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body())
                .contains("\"openapi\":\"3.")
                .contains("/api/v1/audit/events", "/api/v1/audit/verify")
                .contains("\"upgradeId\"", "\"firstBrokenSeq\"", "\"hasNext\"");
    }

    @Test
    void everyEventIsRecordedOnceEvenWhenDeliveredAgain() {
        String user = "user-" + UUID.randomUUID();
        List<EventEnvelope<?>> events = journey(user);

        publish(events);
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(user) == 3);
        publish(events);
        publish(events.subList(0, 2));

        String upgradeId = ((UpgradeEvent) events.get(0).payload()).upgradeId().toString();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(get("/api/v1/audit/events?upgradeId=" + upgradeId, true)
                                .body())
                        .contains("\"type\":\"QualificationVerified\""));
        // The redeliveries were consumed (the later broadcast sits behind them on its partition) yet added nothing.
        assertThat(recordsOf(user)).isEqualTo(3);
        assertThat(get("/api/v1/audit/verify", true).body()).contains("\"intact\":true");
    }

    @Test
    void aRecordEditedBehindTheServicesBackIsFoundByVerify() {
        String user = "user-" + UUID.randomUUID();
        publish(journey(user));
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(user) == 3);
        long victim = jdbc.sql("select min(seq) from audit_record where record_key = ?")
                .param(user)
                .query(Long.class)
                .single();

        // Only someone able to disable the trigger (a superuser) can even try; the chain still tells.
        jdbc.sql("alter table audit_record disable trigger audit_record_append_only")
                .update();
        jdbc.sql("update audit_record set envelope = replace(envelope, '\"W\"', '\"X\"') where seq = ?")
                .param(victim)
                .update();
        jdbc.sql("alter table audit_record enable trigger audit_record_append_only")
                .update();

        String report = get("/api/v1/audit/verify", true).body();
        assertThat(report)
                .contains("\"intact\":false")
                .contains("\"firstBrokenSeq\":" + victim)
                .contains("hash");

        // Restore the row, then remove one: a gap is found too.
        jdbc.sql("alter table audit_record disable trigger audit_record_append_only")
                .update();
        jdbc.sql("update audit_record set envelope = replace(envelope, '\"X\"', '\"W\"') where seq = ?")
                .param(victim)
                .update();
        assertThat(get("/api/v1/audit/verify", true).body()).contains("\"intact\":true");
        jdbc.sql("delete from audit_record where seq = ?").param(victim).update();
        jdbc.sql("alter table audit_record enable trigger audit_record_append_only")
                .update();
        // A removal leaves every later hash as it was: a walk from the start finds the gap.
        assertThat(get("/api/v1/audit/verify?from=1", true).body())
                .contains("\"intact\":false")
                .contains("\"firstBrokenSeq\":" + victim)
                .contains("missing");
        restoreFreshChain();
    }

    /** Later tests need an intact chain again: start a clean one (superuser-only, test-only). */
    private void restoreFreshChain() {
        jdbc.sql("alter table audit_record disable trigger audit_record_no_truncate")
                .update();
        jdbc.sql("truncate audit_record").update();
        jdbc.sql("alter table audit_record enable trigger audit_record_no_truncate")
                .update();
        jdbc.sql("truncate audit_checkpoint").update();
    }

    private long head() {
        return jdbc.sql("select coalesce(max(seq), 0) from audit_record")
                .query(Long.class)
                .single();
    }

    private void recordEvents(String user, int count) {
        publish(java.util.stream.IntStream.range(0, count)
                .<EventEnvelope<?>>mapToObj(i -> EventEnvelope.of(
                        new UserEvent.PriceAlertTriggered(user, "SOL " + i, "SOL", BigDecimal.valueOf(i)), "trading"))
                .toList());
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(user) == count);
    }

    private void tamper(String sql, long seq) {
        jdbc.sql("alter table audit_record disable trigger audit_record_append_only")
                .update();
        jdbc.sql(sql).param(seq).update();
        jdbc.sql("alter table audit_record enable trigger audit_record_append_only")
                .update();
    }

    @Test
    void aVerificationStopsWhenItsBudgetIsSpentAndContinuesFromItsCursor() {
        recordEvents("user-" + UUID.randomUUID(), 120);
        long head = head();

        // No budget at all: one page (50 records) is checked, and the answer says where to go on.
        ChainVerifier.Verification step = verifier.from(1, Duration.ZERO);
        assertThat(step.intact()).isTrue();
        assertThat(step.complete()).isFalse();
        assertThat(step.checked()).isEqualTo(50);
        assertThat(step.next()).isEqualTo(51);

        long covered = step.checked();
        while (step.next() != null) {
            step = verifier.from(step.next(), Duration.ZERO);
            assertThat(step.intact()).isTrue();
            covered += step.checked();
        }
        assertThat(covered).isEqualTo(head);
        assertThat(get("/api/v1/audit/verify?from=1", true).body())
                .contains("\"intact\":true")
                .contains("\"complete\":true")
                .contains("\"checked\":" + head);
    }

    @Test
    void theDefaultVerificationCoversWhatWasAppendedSinceTheLastOne() {
        recordEvents("user-" + UUID.randomUUID(), 5);
        assertThat(get("/api/v1/audit/verify", true).body()).contains("\"complete\":true");
        long head = head();

        recordEvents("user-" + UUID.randomUUID(), 3);

        assertThat(get("/api/v1/audit/verify", true).body())
                .contains("\"complete\":true")
                .contains("\"fromSeq\":" + (head + 1))
                .contains("\"checked\":3");
    }

    @Test
    void aChainRewrittenUpToACheckpointIsFoundThere() {
        recordEvents("user-" + UUID.randomUUID(), 4);
        assertThat(get("/api/v1/audit/verify", true).body()).contains("\"complete\":true");
        long checkpoint = head();

        // Whoever rewrites a record must rewrite every later hash; the checkpoint still holds the old one.
        tamper("update audit_record set hash = sha256(hash) where seq = ?", checkpoint);
        recordEvents("user-" + UUID.randomUUID(), 1);

        assertThat(get("/api/v1/audit/verify", true).body())
                .contains("\"intact\":false")
                .contains("\"firstBrokenSeq\":" + checkpoint)
                .contains("rewritten");
        restoreFreshChain();
    }

    @Test
    void theFullVerificationFindsARecordEditedBehindACheckpoint() {
        String user = "user-" + UUID.randomUUID();
        recordEvents(user, 4);
        assertThat(get("/api/v1/audit/verify", true).body()).contains("\"complete\":true");
        long victim = head() - 2;

        tamper("update audit_record set source = 'forged' where seq = ?", victim);

        ChainVerifier.Verification full = verifier.whole();
        assertThat(full.intact()).isFalse();
        assertThat(full.firstBrokenSeq()).isEqualTo(victim);
        assertThat(get("/api/v1/audit/verify", true).body())
                .contains("\"lastFullVerification\":{")
                .contains("\"firstBrokenSeq\":" + victim);
        assertThat(new TestHttp(port).getAnonymously("/actuator/prometheus").body())
                .contains("aiw3_audit_chain_intact{application=\"audit-service\"} 0.0");
        restoreFreshChain();
        assertThat(verifier.whole().intact()).isTrue();
    }

    @Test
    void theDatabaseRefusesUpdatesAndDeletesFromTheService() {
        String user = "user-" + UUID.randomUUID();
        publish(journey(user));
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(user) == 3);

        assertThatThrownBy(() -> jdbc.sql("update audit_record set source = 'x' where record_key = ?")
                        .param(user)
                        .update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from audit_record where record_key = ?")
                        .param(user)
                        .update())
                .hasMessageContaining("append-only");
        assertThat(jdbc.sql("select has_table_privilege('aiw3_audit_writer', 'audit_record', 'UPDATE')")
                        .query(Boolean.class)
                        .single())
                .isFalse();
    }

    @Test
    void lateEventsAreRecordedAndFoundByTheTimeTheyHappened() {
        String user = "user-" + UUID.randomUUID();
        var late = new EventEnvelope<>(
                EventIds.next(),
                "BadgeEarned",
                1,
                Instant.parse("2020-01-01T00:00:00Z"),
                user,
                EventIds.next(),
                null,
                "badges",
                new UserEvent.BadgeEarned(user, "old news", "b1", "Early Bird"));
        publish(List.of(EventEnvelope.of(new UserEvent.BadgeEarned(user, "new", "b2", "Pro"), "badges"), late));
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(user) == 2);

        String body = get("/api/v1/audit/events?userId=" + user + "&to=2021-01-01T00:00:00Z", true)
                .body();
        assertThat(body).contains("Early Bird").doesNotContain("\"Pro\"");
    }

    @Test
    void tradesFromTheTradingPlatformAreRecordedOnceEvenWhenDeliveredAgain() {
        String user = "trader-" + UUID.randomUUID();
        var trade = EventEnvelope.of(
                new TradingEvent.TradeRecorded(
                        "T-" + UUID.randomUUID(),
                        user,
                        new BigDecimal("1500.25"),
                        Instant.parse("2026-11-23T10:00:00Z")),
                "trading-platform");

        publish(List.of(trade, trade));
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(user) == 1);
        publish(List.of(trade));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(get("/api/v1/audit/events?type=TradeRecorded&userId=" + user, true)
                                .body())
                        .contains(trade.payload().tradeId())
                        .contains("1500.25"));
        assertThat(recordsOf(user)).isEqualTo(1);
    }

    @Test
    void theStepsOfAFirstNftClaimAreRecordedOnceEach() {
        String user = "claimer-" + UUID.randomUUID();
        UUID claim = UUID.randomUUID();
        var initiated = EventEnvelope.of(new ClaimEvent.ClaimInitiated(claim, user, "W", 1), "upgrade-service");
        var claimed = EventEnvelope.causedBy(
                initiated,
                new ClaimEvent.NftClaimed(
                        claim, user, "W", new UpgradeEvent.MintedNft("M", 1, "Tech Chicken", 1, "ipfs://c", "S")),
                "upgrade-service");

        publish(List.of(initiated, claimed, claimed));

        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(user) == 2);
        assertThat(get("/api/v1/audit/events?type=NftClaimed&userId=" + user, true)
                        .body())
                .contains(claim.toString())
                .contains("Tech Chicken");
    }

    @Test
    void onlyOperatorsMayReadAndBadQueriesAreProblems() {
        HttpResponse<String> anonymous = new TestHttp(port).getAnonymously("/api/v1/audit/events");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        assertThat(get("/api/v1/audit/events", false).statusCode()).isEqualTo(403);
        for (String bad : List.of(
                "upgradeId=not-a-uuid",
                "size=0",
                "size=100000",
                "from=yesterday",
                "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")) {
            HttpResponse<String> response = get("/api/v1/audit/events?" + bad, true);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(bad).hasValue("application/problem+json");
        }
    }

    /**
     * A pod that reaches the service's port directly (the monitoring namespace, say) cannot act as an
     * operator: plain identity headers, an identity signed with any other key, an edited one or an expired
     * one are all refused; only what the gateway's key signed gets through.
     */
    @Test
    void aDirectCallerWithoutAnIdentityTheGatewaySignedIsRefusedEvenClaimingOperator() {
        var path = new TestHttp(port).uri("/api/v1/audit/events");
        String genuine = TestIdentities.identityOf("ops-1", "user,operator");
        String[] parts = genuine.split("\\.");
        String edited = parts[0] + "."
                + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                                new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                                        .replace("ops-1", "ops-2")
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + parts[2];
        IdentitySigner ours =
                IdentitySigner.fromJwk(TestIdentities.KEYS.signingKey(), Duration.ofMinutes(5), Clock.systemUTC());
        String expired = ours.sign(
                        "ops-1", null, List.of("operator"), Instant.now().minusSeconds(120), "s")
                .value();
        String foreign = IdentitySigner.fromJwk(
                        TestIdentities.foreignKeys().signingKey(), Duration.ofMinutes(5), Clock.systemUTC())
                .sign("ops-1", null, List.of("operator"), Instant.now().plusSeconds(600), "s")
                .value();

        List<HttpRequest> forged = List.of(
                HttpRequest.newBuilder(path)
                        .header("X-AIW3-User-Id", "ops-1")
                        .header("X-AIW3-Roles", "user,operator")
                        .build(),
                HttpRequest.newBuilder(path)
                        .header(IdentityHeaders.IDENTITY, foreign)
                        .build(),
                HttpRequest.newBuilder(path)
                        .header(IdentityHeaders.IDENTITY, edited)
                        .build(),
                HttpRequest.newBuilder(path)
                        .header(IdentityHeaders.IDENTITY, expired)
                        .build(),
                HttpRequest.newBuilder(path)
                        .header(IdentityHeaders.IDENTITY, "e30.e30.")
                        .build());
        for (HttpRequest request : forged) {
            HttpResponse<String> response = TestHttp.send(request);
            assertThat(response.statusCode()).as(request.headers().toString()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(TestHttp.send(HttpRequest.newBuilder(path)
                                .header(IdentityHeaders.IDENTITY, genuine)
                                .build())
                        .statusCode())
                .isEqualTo(200);
    }

    private HttpResponse<String> get(String path, boolean operator) {
        return new TestHttp(port).getAs("ops-1", operator ? "user,operator" : "user", path);
    }
}
