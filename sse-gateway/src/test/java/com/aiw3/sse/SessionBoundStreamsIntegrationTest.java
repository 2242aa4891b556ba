package com.aiw3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.session.SessionEvent;
import com.aiw3.testing.TestIdentities;
import com.aiw3.web.IdentityHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Streams follow the sign-in they were opened with: at the token's expiry a stream ends with
 * {@code session_expired}, and a sign-out ({@code SessionRevoked} on Kafka, as api-gateway publishes it)
 * ends that session's streams with {@code logged_out}, on every instance, while the user's other sessions
 * go on. After a refresh the client resumes with its Last-Event-ID and loses nothing.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1"
        })
@EmbeddedKafka(partitions = 1)
class SessionBoundStreamsIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Autowired
    MeterRegistry meters;

    private long timed(String outcome) {
        return meters.get("aiw3.sse.stream.duration")
                .tag("outcome", outcome)
                .timer()
                .count();
    }

    private SseClient connect(String user, String session, Instant tokenExpiresAt, @Nullable String lastEventId) {
        SseClient client = SseClient.open(port, "/api/events/stream", h -> {
            h.set(IdentityHeaders.IDENTITY, TestIdentities.identityOf(user, session, tokenExpiresAt));
            if (lastEventId != null) {
                h.set("Last-Event-ID", lastEventId);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(client::connected);
        return client;
    }

    private void publish(Object payload) {
        EventEnvelope<?> event = EventEnvelope.of((com.aiw3.events.EventPayload) payload, "test");
        kafka.send(event.topic().name(), event.key(), event);
        kafka.flush();
    }

    private void alert(String user, String text) {
        publish(new UserEvent.PriceAlertTriggered(user, text, "SOL", new BigDecimal("180.00")));
    }

    @Test
    void aStreamEndsWithSessionExpiredAtItsTokensExpiryAndResumesAfterARefreshLosingNothing() {
        String jane = "jane-" + UUID.randomUUID();
        // A token's exp is in whole seconds.
        Instant expiry = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        long expiredBefore = timed("session_expired");
        SseClient first = connect(jane, "session-1", expiry, null);
        alert(jane, "before the expiry");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.alerts().size() == 1);

        await().atMost(Duration.ofSeconds(10)).until(first::ended);
        assertThat(Instant.now()).as("not before the token's expiry").isAfterOrEqualTo(expiry);
        assertThat(Duration.between(expiry, Instant.now()))
                .as("within a tick of it")
                .isLessThan(Duration.ofSeconds(3));
        ServerSentEvent<String> last = first.last();
        assertThat(last.data()).contains("\"type\":\"session_expired\"", "\"reason\":\"session_expired\"");
        assertThat(last.id())
                .as("the client's Last-Event-ID stays its last real event")
                .isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> timed("session_expired") == expiredBefore + 1);

        alert(jane, "while refreshing");
        SseClient refreshed = connect(jane, "session-1", Instant.now().plus(Duration.ofHours(1)), first.lastId());
        await().atMost(Duration.ofSeconds(10)).until(() -> !refreshed.alerts().isEmpty());
        assertThat(String.join("\n", refreshed.alerts()))
                .contains("while refreshing")
                .doesNotContain("before the expiry");
        assertThat(refreshed.ended()).isFalse();
        refreshed.connection().dispose();
    }

    @Test
    void aSignOutEndsThatSessionsStreamsWithLoggedOutAndLeavesTheUsersOtherSessionsOpen() {
        String kim = "kim-" + UUID.randomUUID();
        Instant expiry = Instant.now().plus(Duration.ofHours(1));
        SseClient laptop = connect(kim, "laptop", expiry, null);
        SseClient phone = connect(kim, "phone", expiry, null);
        long loggedOutBefore = timed("logged_out");

        publish(new SessionEvent.SessionRevoked(kim, "laptop", expiry, Instant.now()));

        await().atMost(Duration.ofSeconds(10)).until(laptop::ended);
        assertThat(laptop.last().data()).contains("\"type\":\"logged_out\"", "\"reason\":\"logged_out\"");
        assertThat(laptop.endedAt().get()).as("ended cleanly, not cut").isPositive();
        await().atMost(Duration.ofSeconds(5)).until(() -> timed("logged_out") == loggedOutBefore + 1);
        alert(kim, "after the sign-out");
        await().atMost(Duration.ofSeconds(10)).until(() -> !phone.alerts().isEmpty());
        assertThat(phone.ended()).isFalse();
        assertThat(laptop.alerts()).isEmpty();
        phone.connection().dispose();
    }
}
