package com.aiw3.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.presence.GatewayInstanceEvent.GatewayInstanceAlive;
import com.aiw3.events.presence.PresenceEvent;
import com.aiw3.notification.presence.Presence;
import com.aiw3.testing.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A user's presence holds only while the SSE gateway instance that reported it is alive. */
@SpringBootTest(
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1",
            "aiw3.notification.presence-without-heartbeat=3s"
        })
@EmbeddedKafka(partitions = 1)
class PresenceLeaseIntegrationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "notification");
    }

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Autowired
    Presence presence;

    private void publish(EventPayload payload) {
        EventEnvelope<?> event = EventEnvelope.of(payload, "test");
        kafka.send(event.topic().name(), event.key(), event);
        kafka.flush();
    }

    private static String user() {
        return "user-" + UUID.randomUUID();
    }

    private static String instance() {
        return "sse-" + UUID.randomUUID();
    }

    @Test
    void aUserOfAnInstanceThatStoppedBeatingGoesOfflineWhenItsLeaseEnds() {
        String user = user();
        String instance = instance();
        Instant now = Instant.now();
        publish(new GatewayInstanceAlive(instance, now, now, 2));
        publish(new PresenceEvent.UserCameOnline(user, instance, 1, now));
        await().atMost(Duration.ofSeconds(10)).until(() -> presence.online(user));

        // The instance was killed: no UserWentOffline ever comes, and no further heartbeat.
        await().atMost(Duration.ofSeconds(10)).until(() -> !presence.online(user));
    }

    @Test
    void aUserOfAnInstanceThatKeepsBeatingStaysOnline() {
        String user = user();
        String instance = instance();
        Instant started = Instant.now();
        publish(new GatewayInstanceAlive(instance, started, started, 2));
        publish(new PresenceEvent.UserCameOnline(user, instance, 1, started));
        await().atMost(Duration.ofSeconds(10)).until(() -> presence.online(user));

        for (int beat = 1; beat <= 3; beat++) {
            publish(new GatewayInstanceAlive(instance, started, Instant.now(), 2));
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            assertThat(presence.online(user)).as("after beat %d", beat).isTrue();
        }
    }

    @Test
    void aReportFromAnInstanceThatNeverSentAHeartbeatHoldsOnlyBriefly() {
        String user = user();
        publish(new PresenceEvent.UserCameOnline(
                user, instance(), 1, Instant.now().minusSeconds(120)));
        String fresh = user();
        publish(new PresenceEvent.UserCameOnline(fresh, instance(), 1, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> presence.online(fresh));

        assertThat(presence.online(user)).isFalse();
    }

    @Test
    void anInstanceRestartedUnderTheSameIdTakesBackWhatItReportedBefore() {
        String user = user();
        String instance = instance();
        Instant firstRun = Instant.now().minusSeconds(30);
        publish(new GatewayInstanceAlive(instance, firstRun, Instant.now(), 60));
        publish(new PresenceEvent.UserCameOnline(user, instance, 1, firstRun.plusSeconds(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> presence.online(user));

        publish(new GatewayInstanceAlive(instance, Instant.now(), Instant.now(), 60));

        await().atMost(Duration.ofSeconds(10)).until(() -> !presence.online(user));
    }
}
