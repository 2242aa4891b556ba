package com.aiw3.events.serde;

/**
 * Kafka record headers set on every event, so routers, the dead-letter tooling and audit can read the
 * type and id without parsing the value.
 */
public final class EventHeaders {

    public static final String EVENT_ID = "aiw3-event-id";
    public static final String EVENT_TYPE = "aiw3-event-type";
    public static final String EVENT_VERSION = "aiw3-event-version";

    private EventHeaders() {}
}
