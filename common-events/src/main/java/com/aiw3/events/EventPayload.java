package com.aiw3.events;

/**
 * The payload of one event: an immutable, past-tense record.
 *
 * <p>Each family (upgrade, user events, broadcasts, notifications, presence, deliveries) is a sealed
 * interface extending this one. This root is deliberately not sealed: the jar runs on the class path
 * (the unnamed module), where a sealed type may only permit subtypes of its own package.
 */
public interface EventPayload {

    /**
     * The Kafka record key: the aggregate whose events must stay in order (the user, for nearly all
     * events; a constant for broadcasts, which must stay in order among themselves).
     */
    String partitionKey();
}
