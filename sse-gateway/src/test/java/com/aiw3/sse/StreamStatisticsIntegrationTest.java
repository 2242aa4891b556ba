package com.aiw3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.testing.ServiceProbes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every stream's end is timed once, by how it ended ({@code aiw3.sse.stream.duration{outcome}}), and
 * {@code /events/stats} counts the streams opened and ended by outcome since start, with their mean duration.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1"
        })
@EmbeddedKafka(partitions = 1)
class StreamStatisticsIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.shared();

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Autowired
    MeterRegistry meters;

    private Timer duration(String outcome) {
        return meters.get("aiw3.sse.stream.duration").tag("outcome", outcome).timer();
    }

    private JsonNode stats() {
        return JSON.readTree(ServiceProbes.get(port, "/events/stats"));
    }

    private long ended(String outcome) {
        return stats().get("streamsEnded").get(outcome).asLong();
    }

    private static SseClient opened(int port, String user, String path) {
        SseClient client = SseClient.connect(port, user, path, null);
        await().atMost(Duration.ofSeconds(10)).until(client::connected);
        return client;
    }

    @Test
    void everyOutcomeIsListedAtZeroBeforeAnyStreamEndsThatWay() {
        assertThat(stats().get("streamsEnded").propertyNames())
                .containsExactly(
                        "client_closed",
                        "completed",
                        "max_lifetime",
                        "drained",
                        "evicted",
                        "session_expired",
                        "logged_out",
                        "overflowed");
        assertThat(ServiceProbes.get(port, "/actuator/prometheus"))
                .containsPattern("aiw3_sse_stream_duration_seconds_count\\{(?=[^}]*outcome=\"drained\")[^}]*} 0");
    }

    @Test
    void aStreamItsClientClosesIsTimedAsClientClosedAndCountedInTheStats() {
        long openedBefore = stats().get("streamsOpened").asLong();
        int activeBefore = stats().get("activeStreams").asInt();
        long closedBefore = ended("client_closed");
        long timedBefore = duration("client_closed").count();

        SseClient client = opened(port, "lena-" + UUID.randomUUID(), "/api/events/stream");
        assertThat(stats().get("streamsOpened").asLong()).isEqualTo(openedBefore + 1);
        client.connection().dispose();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> duration("client_closed").count() == timedBefore + 1);
        assertThat(duration("client_closed").totalTime(TimeUnit.NANOSECONDS)).isPositive();
        JsonNode stats = stats();
        assertThat(stats.get("streamsEnded").get("client_closed").asLong()).isEqualTo(closedBefore + 1);
        assertThat(stats.get("meanStreamSeconds").asDouble()).isPositive();
        assertThat(stats.get("activeStreams").asInt())
                .as("this stream is no longer active (another case's may end meanwhile)")
                .isLessThanOrEqualTo(activeBefore);
        assertThat(ServiceProbes.get(port, "/actuator/prometheus"))
                .containsPattern(
                        "aiw3_sse_stream_duration_seconds_count\\{(?=[^}]*outcome=\"client_closed\")[^}]*} [1-9]")
                .contains("aiw3_sse_stream_duration_seconds_bucket{");
    }

    @Test
    void anUpgradeStreamThatEndsAfterItsTerminalStatusIsTimedAsCompleted() {
        String mona = "mona-" + UUID.randomUUID();
        UUID upgrade = UUID.randomUUID();
        publish(
                EventEnvelope.of(new UpgradeEvent.UpgradeInitiated(upgrade, mona, "w", "m", 1, 2), "upgrade-service"),
                EventEnvelope.of(new UpgradeEvent.QualificationVerified(upgrade, mona, 2), "upgrade-service"));
        long completedBefore = duration("completed").count();

        // The upgrade's stream is answered once its events are in this instance's history: on a busy host the
        // first attempt can come before that, and its client goes away to try again (such an attempt is refused
        // before it is a stream, or it is one that ends at once as closed by its client: the count is taken after).
        SseClient client = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            SseClient attempt =
                                    SseClient.connect(port, mona, "/api/v1/nft/upgrade/" + upgrade + "/events", null);
                            try {
                                await().atMost(Duration.ofSeconds(5))
                                        .until(() -> attempt.data().size() == 2);
                                return attempt;
                            } catch (ConditionTimeoutException e) {
                                attempt.connection().dispose();
                                return null;
                            }
                        },
                        Objects::nonNull);
        long closedBefore = duration("client_closed").count();
        publish(EventEnvelope.of(
                new UpgradeEvent.BurnFailed(upgrade, mona, "no burn within 5 minutes"), "upgrade-service"));

        await().atMost(Duration.ofSeconds(10)).until(client::ended);
        await().atMost(Duration.ofSeconds(10)).until(() -> duration("completed").count() == completedBefore + 1);
        assertThat(ended("completed")).isEqualTo(completedBefore + 1);
        assertThat(duration("client_closed").count())
                .as("a completed stream is not also counted as closed by its client")
                .isEqualTo(closedBefore);
    }

    @Test
    void aStreamEvictedByItsUsersNewerStreamsIsTimedAsEvictedAndTheOthersAsClosedByTheirClient() {
        String nora = "nora-" + UUID.randomUUID();
        long evictedBefore = duration("evicted").count();
        long closedBefore = duration("client_closed").count();
        List<SseClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(opened(port, nora, "/api/events/stream"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.getFirst().ended());
        await().atMost(Duration.ofSeconds(10)).until(() -> duration("evicted").count() == evictedBefore + 1);

        clients.forEach(c -> c.connection().dispose());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> duration("client_closed").count() == closedBefore + 3);
        assertThat(duration("evicted").count())
                .as("each stream's end is counted once")
                .isEqualTo(evictedBefore + 1);
        JsonNode stats = stats();
        assertThat(stats.get("streamsEnded").get("evicted").asLong()).isEqualTo(evictedBefore + 1);
        assertThat(stats.get("streamsEnded").get("client_closed").asLong()).isEqualTo(closedBefore + 3);
    }

    private void publish(EventEnvelope<?>... events) {
        for (EventEnvelope<?> event : events) {
            kafka.send(event.topic().name(), event.key(), event);
        }
        kafka.flush();
    }
}
