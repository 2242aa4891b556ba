package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.serde.EventSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Two sse-gateway instances behind api-gateway ({@link Platform#SSE_GATEWAYS}), as in a cluster: the gateway
 * balances streams over the ready instances, every instance reads every event, so a user's streams on both receive
 * each of the user's events, and a stream whose instance dies resumes on the other with its Last-Event-ID.
 */
class SseGatewayInstancesIntegrationTest {

    private final Platform platform = Platform.get();

    @Test
    void
            aUserWithAStreamOnEachInstanceGetsEveryEventOnBothAndAfterAKillNineResumesOnTheOtherWithNothingMissedOrRepeated()
                    throws Exception {
        User user = Journeys.holder(platform, "two-instances");
        List<EventStream> streams = new ArrayList<>();
        try {
            EventStream first = opened(EventStream.open(platform, user));
            streams.add(first);
            EventStream second = onAnotherInstanceThan(instanceOf(first), user);
            streams.add(second);
            assertThat(List.of(instanceOf(first), instanceOf(second)))
                    .containsExactlyInAnyOrderElementsOf(Platform.SSE_GATEWAYS);

            // Every event of the user's upgrade reaches the stream on each instance, once, in the same order.
            String upgradeId = Journeys.upgradeThroughBurn(user);
            for (EventStream stream : streams) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> upgradeStatuses(stream, upgradeId).contains("completed"));
            }
            assertThat(upgradeEventIds(second, upgradeId))
                    .doesNotHaveDuplicates()
                    .containsExactlyElementsOf(upgradeEventIds(first, upgradeId));
            assertThat(upgradeStatuses(first, upgradeId)).doesNotHaveDuplicates();

            // kill -9 of the first stream's instance: its client resumes on the other, the other stream goes on.
            String victim = instanceOf(first);
            String survivor = instanceOf(second);
            String run = Journeys.uniqueUser("run");
            List<String> sent = new ArrayList<>();
            try (KafkaProducer<String, EventEnvelope<?>> producer = producer()) {
                for (int i = 0; i < 5; i++) {
                    sent.add(publish(producer, user, run + " before " + i));
                }
                await().atMost(Duration.ofSeconds(20))
                        .until(() ->
                                streams.stream().allMatch(s -> badges(s, run).size() == 5));

                platform.crash(victim);
                for (int i = 0; i < 5; i++) {
                    sent.add(publish(producer, user, run + " while down " + i));
                }
                await().atMost(Duration.ofSeconds(60))
                        .until(() ->
                                streams.stream().allMatch(s -> badges(s, run).size() >= sent.size()));
                assertThat(first.connects()).as("the first stream reconnected").isGreaterThanOrEqualTo(2);
                assertThat(first.ofType("connection_established")
                                .getLast()
                                .data()
                                .path("data")
                                .path("instance")
                                .asString())
                        .as("resumed on the surviving instance")
                        .isEqualTo(survivor);

                platform.launch(victim);
                platform.awaitReady(victim);
                for (int i = 0; i < 5; i++) {
                    sent.add(publish(producer, user, run + " after " + i));
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                streams.stream().allMatch(s -> badges(s, run).size() >= sent.size()));
            }
            for (EventStream stream : streams) {
                assertThat(badges(stream, run)).containsExactlyElementsOf(sent);
            }
            assertThat(second.connects())
                    .as("the stream on the surviving instance never broke")
                    .isEqualTo(1);
            System.out.printf(
                    "[system] two sse-gateway instances: %d upgrade events on each; kill -9 of %s, its stream resumed"
                            + " on %s; both got all %d events once, in order%n",
                    upgradeEventIds(first, upgradeId).size(), victim, survivor, sent.size());
        } finally {
            streams.forEach(EventStream::close);
        }
    }

    /** A stream of the user that lands on an instance other than {@code instance} (the gateway balances each). */
    private EventStream onAnotherInstanceThan(String instance, User user) throws InterruptedException {
        for (int attempt = 0; attempt < 10; attempt++) {
            EventStream stream = opened(EventStream.open(platform, user));
            if (!instanceOf(stream).equals(instance)) {
                return stream;
            }
            // Closed before the next one opens: the user never holds more than two streams.
            stream.close();
        }
        throw new AssertionError("ten streams in a row landed on " + instance);
    }

    private static EventStream opened(EventStream stream) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !stream.ofType("connection_established").isEmpty());
        return stream;
    }

    /** The instance that served the stream's latest connection, as its greeting names it. */
    private static String instanceOf(EventStream stream) {
        return stream.ofType("connection_established")
                .getLast()
                .data()
                .path("data")
                .path("instance")
                .asString();
    }

    private static List<EventStream.Event> upgradeEvents(EventStream stream, String upgradeId) {
        return stream.ofType("nft_upgrade_status").stream()
                .filter(e -> e.data().path("upgradeId").asString().equals(upgradeId))
                .toList();
    }

    /** Each upgrade event as its status and the moment it happened: the same event reads the same on each instance. */
    private static List<String> upgradeEventIds(EventStream stream, String upgradeId) {
        return upgradeEvents(stream, upgradeId).stream()
                .map(e -> e.data().path("status").asString() + "@"
                        + e.data().path("timestamp").asString())
                .toList();
    }

    private static List<String> upgradeStatuses(EventStream stream, String upgradeId) {
        return upgradeEvents(stream, upgradeId).stream()
                .map(e -> e.data().path("status").asString())
                .toList();
    }

    private static List<String> badges(EventStream stream, String run) {
        return stream.ofType("badge_earned").stream()
                .map(e -> e.data().path("message").asString())
                .filter(m -> m.startsWith(run))
                .toList();
    }

    private KafkaProducer<String, EventEnvelope<?>> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        platform.kafkaBootstrap(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new EventSerializer());
    }

    /** One of the user's own events, as a producing service would send it; returns its message. */
    private static String publish(KafkaProducer<String, EventEnvelope<?>> producer, User user, String message)
            throws Exception {
        EventEnvelope<?> event =
                EventEnvelope.of(new UserEvent.BadgeEarned(user.id, message, "instances", "Instances"), "system-tests");
        producer.send(new ProducerRecord<>(event.topic().name(), event.key(), event))
                .get();
        return message;
    }
}
