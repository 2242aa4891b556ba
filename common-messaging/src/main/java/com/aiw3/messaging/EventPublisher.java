package com.aiw3.messaging;

import com.aiw3.events.EventEnvelope;

/**
 * Publishes events. Services with a database get the transactional outbox (the event is written in the
 * caller's transaction and relayed after commit); services without one publish straight to Kafka.
 */
public interface EventPublisher {

    void publish(EventEnvelope<?> event);
}
