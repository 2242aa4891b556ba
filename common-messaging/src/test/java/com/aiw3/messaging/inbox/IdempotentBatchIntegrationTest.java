package com.aiw3.messaging.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.testing.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The batch form of the inbox on real PostgreSQL (no broker needed: nothing is published). */
@SpringBootTest(
        classes = IdempotentBatchIntegrationTest.App.class,
        properties = {
            "aiw3.messaging.source=test",
            "aiw3.messaging.topics.create=false",
            "spring.kafka.bootstrap-servers=127.0.0.1:1",
            "spring.flyway.enabled=false"
        })
class IdempotentBatchIntegrationTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "inbox_batch");
    }

    @Autowired
    IdempotentConsumer inbox;

    @Autowired
    JdbcClient jdbc;

    private static EventEnvelope<?> event() {
        return EventEnvelope.of(new UpgradeEvent.BurnFailed(UUID.randomUUID(), "u", "r"), "test");
    }

    @Test
    void eachEventOfABatchIsAppliedOnceAcrossBatchesAndWithinOne() {
        EventEnvelope<?> a = event();
        EventEnvelope<?> b = event();
        EventEnvelope<?> c = event();
        List<UUID> applied = new ArrayList<>();

        assertThat(inbox.runOnceEach("c1", List.of(a, b, a), e -> applied.add(e.eventId())))
                .isEqualTo(2);
        assertThat(inbox.runOnceEach("c1", List.of(b, c, a), e -> applied.add(e.eventId())))
                .isEqualTo(1);
        assertThat(inbox.runOnceEach("c2", List.of(a), e -> applied.add(e.eventId())))
                .as("per consumer")
                .isEqualTo(1);

        assertThat(applied).containsExactly(a.eventId(), b.eventId(), c.eventId(), a.eventId());
    }

    @Test
    void aFailingEventIsIsolatedAndWhatPrecededItStaysApplied() {
        EventEnvelope<?> ok1 = event();
        EventEnvelope<?> ok2 = event();
        EventEnvelope<?> bad = event();
        EventEnvelope<?> after = event();
        List<UUID> applied = new ArrayList<>();

        assertThatThrownBy(() -> inbox.runOnceEach("c3", List.of(ok1, ok2, bad, after), e -> {
                    if (e == bad) {
                        throw new IllegalStateException("cannot apply");
                    }
                    applied.add(e.eventId());
                }))
                .isInstanceOfSatisfying(
                        BatchListenerFailedException.class,
                        failure -> assertThat(failure.getIndex()).isEqualTo(2));

        List<UUID> recorded = jdbc.sql("select event_id from messaging_processed_event where consumer = 'c3'")
                .query(UUID.class)
                .list();
        assertThat(recorded).containsExactlyInAnyOrder(ok1.eventId(), ok2.eventId());
        assertThat(applied).endsWith(ok1.eventId(), ok2.eventId());
    }
}
