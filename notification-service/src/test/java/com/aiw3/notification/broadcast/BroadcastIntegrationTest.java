package com.aiw3.notification.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.events.topic.Topics;
import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TestPostgres;
import com.aiw3.testing.TopicContents;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operators' broadcasts against the real service: embedded Kafka, real PostgreSQL. A broadcast is recorded
 * and its event reaches {@code realtime-broadcasts} through the outbox; anyone but an operator, and every bad
 * request, is refused with a problem and writes nothing.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1"
        })
@EmbeddedKafka(partitions = 1)
class BroadcastIntegrationTest {

    static final String PATH = "/api/v1/notifications/broadcasts";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "notification");
    }

    @LocalServerPort
    int port;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    JdbcClient jdbc;

    TestHttp http;

    @BeforeEach
    void client() {
        http = new TestHttp(port);
    }

    private HttpResponse<String> post(String user, String roles, String json, String... headers) {
        return http.sendAs("POST", PATH, user, roles, json, headers);
    }

    private List<EventEnvelope<EventPayload>> envelopes() {
        return TopicContents.events(brokers, Topics.REALTIME_BROADCASTS.name());
    }

    private List<BroadcastEvent> broadcasts() {
        return envelopes().stream()
                .map(EventEnvelope::payload)
                .filter(BroadcastEvent.class::isInstance)
                .map(BroadcastEvent.class::cast)
                .toList();
    }

    private int written() {
        return jdbc.sql("select (select count(*) from broadcasts) + (select count(*) from messaging_outbox"
                        + " where topic = 'realtime-broadcasts')")
                .query(Integer.class)
                .single();
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    @Test
    void anOperatorsMaintenanceNoticeIsRecordedAndReachesTheBroadcastTopicThroughTheOutbox() {
        Instant start = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant end = start.plus(Duration.ofMinutes(30));
        HttpResponse<String> sent = post(
                "ops-" + UUID.randomUUID(),
                "operator",
                "{\"kind\":\"maintenance\",\"message\":\"Trading pauses for an upgrade\",\"startTime\":\"" + start
                        + "\",\"endTime\":\"" + end + "\"}");

        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        JsonNode answer = JSON.readTree(sent.body());
        UUID id = UUID.fromString(answer.get("broadcastId").stringValue());
        UUID eventId = UUID.fromString(answer.get("eventId").stringValue());
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(broadcasts())
                        .contains(new BroadcastEvent.MaintenanceScheduled(
                                id, "Trading pauses for an upgrade", start, end)));
        assertThat(envelopes())
                .filteredOn(e -> e.eventId().equals(eventId))
                .singleElement()
                .satisfies(e -> assertThat(e.source()).isEqualTo("notification-service"));
        assertThat(jdbc.sql("select published_at is not null from messaging_outbox where event_id = :id")
                        .param("id", eventId)
                        .query(Boolean.class)
                        .single())
                .as("the event left through the outbox")
                .isTrue();
        assertThat(jdbc.sql("select operator_id from broadcasts where id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .startsWith("ops-");
    }

    @Test
    void aFeatureAnnouncementCarriesItsItemsAndARepeatUnderItsIdempotencyKeySendsNothingTwice() {
        String operator = "ops-" + UUID.randomUUID();
        String key = "announce-" + UUID.randomUUID();
        String body = "{\"kind\":\"feature\",\"message\":\"New pairs\",\"items\":[\"BONK/USDT\",\"WIF/USDT\"]}";

        HttpResponse<String> first = post(operator, "operator", body, "Idempotency-Key", key);
        HttpResponse<String> again = post(operator, "operator", body, "Idempotency-Key", key);
        HttpResponse<String> other =
                post(operator, "operator", "{\"kind\":\"feature\",\"message\":\"Other news\"}", "Idempotency-Key", key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        UUID id = UUID.fromString(JSON.readTree(first.body()).get("broadcastId").stringValue());
        assertThat(JSON.readTree(again.body()).get("broadcastId").stringValue()).isEqualTo(id.toString());
        assertProblem(other, 409);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(broadcasts())
                        .contains(new BroadcastEvent.FeatureAnnounced(
                                id, "New pairs", List.of("BONK/USDT", "WIF/USDT"))));
        assertThat(broadcasts()).filteredOn(b -> b.broadcastId().equals(id)).hasSize(1);
        assertThat(broadcasts()).noneMatch(b -> b.message().equals("Other news"));
    }

    @Test
    void aUserWhoIsNotAnOperatorIsRefused403AndNothingIsWritten() {
        int before = written();

        assertProblem(
                post("alice-" + UUID.randomUUID(), "user", "{\"kind\":\"feature\",\"message\":\"Free NFTs\"}"), 403);
        assertProblem(post("alice-" + UUID.randomUUID(), "", "{\"kind\":\"feature\",\"message\":\"Free NFTs\"}"), 403);
        assertProblem(
                TestHttp.send(HttpRequest.newBuilder(http.uri(PATH))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"feature\",\"message\":\"Free NFTs\"}"))
                        .build()),
                401);

        assertThat(written()).isEqualTo(before);
    }

    @Test
    void badInputIsAProblemAndWritesNothing() {
        String ops = "ops-" + UUID.randomUUID();
        String future = Instant.now().plus(Duration.ofHours(1)).toString();
        String later = Instant.now().plus(Duration.ofHours(2)).toString();
        int before = written();

        for (String body : List.of(
                "",
                "{\"kind\":",
                "[]",
                "\"feature\"",
                "{}",
                "{\"kind\":\"feature\"}",
                "{\"kind\":\"feature\",\"message\":\"\"}",
                "{\"kind\":\"feature\",\"message\":\"   \"}",
                "{\"kind\":\"feature\",\"message\":42}",
                "{\"kind\":\"feature\",\"message\":\"" + "x".repeat(501) + "\"}",
                "{\"kind\":\"feature\",\"message\":\"bell\\u0007\"}",
                "{\"kind\":\"feature\",\"message\":\"hi\",\"sender\":\"ceo\"}",
                "{\"kind\":\"weather\",\"message\":\"hi\"}",
                "{\"kind\":\"" + "k".repeat(5000) + "\",\"message\":\"hi\"}",
                "{\"kind\":\"feature\",\"message\":\"hi\",\"items\":\"one\"}",
                "{\"kind\":\"feature\",\"message\":\"hi\",\"items\":[1]}",
                "{\"kind\":\"feature\",\"message\":\"hi\",\"items\":[\"" + "i".repeat(201) + "\"]}",
                "{\"kind\":\"feature\",\"message\":\"hi\",\"items\":[" + "\"a\",".repeat(10) + "\"b\"]}",
                "{\"kind\":\"feature\",\"message\":\"hi\",\"startTime\":\"" + future + "\"}",
                "{\"kind\":\"maintenance\",\"message\":\"hi\"}",
                "{\"kind\":\"maintenance\",\"message\":\"hi\",\"startTime\":\"" + future + "\"}",
                "{\"kind\":\"maintenance\",\"message\":\"hi\",\"startTime\":\"tomorrow\",\"endTime\":\"" + later
                        + "\"}",
                "{\"kind\":\"maintenance\",\"message\":\"hi\",\"startTime\":\"" + later + "\",\"endTime\":\"" + future
                        + "\"}",
                "{\"kind\":\"maintenance\",\"message\":\"hi\",\"startTime\":\"2020-01-01T00:00:00Z\","
                        + "\"endTime\":\"2020-01-01T01:00:00Z\"}",
                "{\"kind\":\"maintenance\",\"message\":\"hi\",\"startTime\":\"" + future + "\",\"endTime\":\"" + later
                        + "\",\"items\":[\"x\"]}")) {
            assertProblem(post(ops, "operator", body), 400);
        }
        assertProblem(
                post(ops, "operator", "{\"kind\":\"feature\",\"message\":\"hi\"}", "Idempotency-Key", "k".repeat(201)),
                400);
        assertProblem(post(ops, "operator", "{\"kind\":\"feature\",\"message\":\"" + "x".repeat(20_000) + "\"}"), 413);

        assertThat(written()).isEqualTo(before);
    }

    @Test
    void theOpenApiDocumentDescribesBroadcasts() {
        JsonNode paths =
                JSON.readTree(http.getAnonymously("/v3/api-docs").body()).get("paths");
        assertThat(paths.get(PATH).has("post")).isTrue();
    }
}
