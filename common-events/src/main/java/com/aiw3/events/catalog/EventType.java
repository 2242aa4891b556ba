package com.aiw3.events.catalog;

import com.aiw3.events.EventPayload;
import com.aiw3.events.topic.Topic;

/**
 * One event type of the catalogue.
 *
 * @param name       the {@code type} on the wire: the record's simple name, never reused for another shape
 * @param version    the current schema version
 * @param payloadClass the record
 * @param topic      the topic it is published on
 * @param summary    what happened
 * @param clientType the SSE {@code type} a browser sees, or empty when it never reaches a client
 */
public record EventType<P extends EventPayload>(
        String name, int version, Class<P> payloadClass, Topic topic, String summary, String clientType) {}
