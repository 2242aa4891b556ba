package com.aiw3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.sse.feed.History;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The resume history is bounded: a stream opened without Last-Event-ID replays nothing from before it, a
 * resume gets what it missed within the window and nothing older, and a user with nothing left in the
 * window and no open stream is dropped from memory. A short window here stands for the default 10 minutes.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1",
            "aiw3.sse.history-window=4s",
            "aiw3.sse.history-sweep=500ms"
        })
@EmbeddedKafka(partitions = 1)
class BoundedHistoryIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Autowired
    History history;

    private SseClient connect(String user, @Nullable String lastEventId) {
        SseClient client = SseClient.connect(port, user, "/api/events/stream", lastEventId);
        await().atMost(Duration.ofSeconds(10)).until(client::connected);
        return client;
    }

    private void alert(String user, String text) {
        EventEnvelope<?> event = EventEnvelope.of(
                new UserEvent.PriceAlertTriggered(user, text, "SOL", new BigDecimal("180.00")), "trading");
        kafka.send(event.topic().name(), event.key(), event);
        kafka.flush();
    }

    private static String user(String name) {
        return name + "-" + UUID.randomUUID();
    }

    @Test
    void aStreamOpenedWithoutLastEventIdReplaysNothingFromBeforeIt() {
        String dave = user("dave");
        alert(dave, "before the stream");
        await().atMost(Duration.ofSeconds(10)).until(() -> !history.of(dave).isEmpty());

        SseClient client = connect(dave, null);
        alert(dave, "after the stream opened");

        await().atMost(Duration.ofSeconds(10)).until(() -> client.alerts().size() == 1);
        assertThat(String.join("\n", client.alerts()))
                .contains("after the stream opened")
                .doesNotContain("before the stream");
        client.connection().dispose();
    }

    @Test
    void aStreamThatBreaksBeforeItsFirstEventResumesFromItsGreetingAndMissesNothing() {
        String erin = user("erin");
        alert(erin, "before the stream");
        await().atMost(Duration.ofSeconds(10)).until(() -> !history.of(erin).isEmpty());
        SseClient first = connect(erin, null);
        String greeting = first.lastId();
        assertThat(greeting).as("the greeting's id").isNotBlank();
        first.connection().dispose();

        alert(erin, "while away");
        await().atMost(Duration.ofSeconds(10)).until(() -> history.of(erin).size() == 2);
        SseClient second = connect(erin, greeting);

        await().atMost(Duration.ofSeconds(10)).until(() -> !second.alerts().isEmpty());
        assertThat(String.join("\n", second.alerts())).contains("while away").doesNotContain("before the stream");
        second.connection().dispose();
    }

    @Test
    void aResumeGetsWhatItMissedWithinTheWindowAndNothingOlder() {
        String frank = user("frank");
        SseClient first = connect(frank, null);
        alert(frank, "seen");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.alerts().size() == 1);
        String seen = first.lastId();
        first.connection().dispose();

        alert(frank, "missed, then aged out");
        await().atMost(Duration.ofSeconds(10)).until(() -> history.of(frank).size() == 2);
        // Older than the window: gone from the history, so never replayed.
        await().atMost(Duration.ofSeconds(15)).until(() -> history.of(frank).isEmpty());
        alert(frank, "missed within the window");
        await().atMost(Duration.ofSeconds(10)).until(() -> history.of(frank).size() == 1);

        SseClient second = connect(frank, seen);
        await().atMost(Duration.ofSeconds(10)).until(() -> !second.alerts().isEmpty());
        assertThat(String.join("\n", second.alerts()))
                .contains("missed within the window")
                .doesNotContain("aged out", "\"message\":\"seen\"");
        second.connection().dispose();
    }

    @Test
    void aUserWithNothingLeftInTheWindowAndNoStreamIsDroppedFromMemory() {
        String grace = user("grace");
        SseClient client = connect(grace, null);
        alert(grace, "kept for the window");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.alerts().size() == 1);
        client.connection().dispose();
        assertThat(history.holds(grace)).isTrue();

        // The sweep drops her once her event has aged out and her stream has closed.
        await().atMost(Duration.ofSeconds(15)).until(() -> !history.holds(grace));

        String idle = user("idle");
        SseClient onlyConnected = connect(idle, null);
        assertThat(history.holds(idle)).as("a user with an open stream is held").isTrue();
        onlyConnected.connection().dispose();
        await().atMost(Duration.ofSeconds(10)).until(() -> !history.holds(idle));
    }
}
