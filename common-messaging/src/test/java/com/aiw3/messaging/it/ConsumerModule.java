package com.aiw3.messaging.it;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.messaging.NonRetryableEventException;
import com.aiw3.messaging.inbox.IdempotentConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Another module consuming those events idempotently, with transient and permanent failures on cue. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ConsumerModule.Listener.class)
class ConsumerModule {

    static final String TRANSIENT_USER = "flaky-user";

    /** Services get theirs from the actuator; this library has none on its test class path. */
    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    static final String BAD_USER = "bad-user";

    @Component
    static class Listener {
        private static final Logger log = LoggerFactory.getLogger(Listener.class);
        final AtomicInteger deliveries = new AtomicInteger();
        final Map<String, AtomicInteger> attemptsByUser = new ConcurrentHashMap<>();
        private final IdempotentConsumer inbox;
        private final JdbcClient jdbc;

        Listener(IdempotentConsumer inbox, JdbcClient jdbc) {
            this.inbox = inbox;
            this.jdbc = jdbc;
        }

        @KafkaListener(topics = Topics.Names.NFT_UPGRADE_EVENTS, groupId = "consumer-module")
        void on(ConsumerRecord<String, EventEnvelope<EventPayload>> record) {
            deliveries.incrementAndGet();
            EventEnvelope<EventPayload> event = record.value();
            if (!(event.payload() instanceof UpgradeEvent upgrade)) {
                return;
            }
            int attempt = attemptsByUser
                    .computeIfAbsent(upgrade.userId(), u -> new AtomicInteger())
                    .incrementAndGet();
            if (upgrade.userId().equals(BAD_USER)) {
                throw new NonRetryableEventException("user " + BAD_USER + " does not exist");
            }
            inbox.runOnce("consumer-module", event, () -> {
                log.info("applying {} for {}", event.type(), upgrade.userId());
                jdbc.sql("insert into applied_effect (event_id, upgrade_id) values (?, ?)")
                        .params(event.eventId(), upgrade.upgradeId())
                        .update();
                if (upgrade.userId().equals(TRANSIENT_USER) && attempt < 3) {
                    throw new IllegalStateException("transient failure " + attempt);
                }
            });
        }
    }
}
