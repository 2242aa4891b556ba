package com.aiw3.messaging.kafka;

import com.aiw3.events.EventEnvelope;
import com.aiw3.messaging.EventPublisher;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publishes straight to Kafka, for services that own no database (the SSE gateway). Refuses to run
 * inside a database transaction: there the outbox is the only correct way (the event must not leave
 * before the state it describes is committed, nor be lost if the commit fails).
 */
public class KafkaEventPublisher implements EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);

    private final KafkaTemplate<String, EventEnvelope<?>> template;

    KafkaEventPublisher(KafkaTemplate<String, EventEnvelope<?>> template) {
        this.template = template;
    }

    @Override
    public void publish(EventEnvelope<?> event) {
        send(event);
    }

    /** Sends asynchronously; the future completes when the broker has acknowledged the event. */
    public CompletableFuture<SendResult<String, EventEnvelope<?>>> send(EventEnvelope<?> event) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException(
                    "direct Kafka publish inside a database transaction: publish through the outbox instead");
        }
        return template.send(event.topic().name(), event.key(), event).whenComplete((result, error) -> {
            if (error != null) {
                log.warn("publish of {} {} failed", event.type(), event.eventId(), error);
            }
        });
    }
}
