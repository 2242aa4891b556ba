package com.aiw3.events.presence;

import com.aiw3.events.EventPayload;
import com.aiw3.events.EventSchema;
import java.util.UUID;

/**
 * The outcome of each real-time send to a user (topic {@code realtime-delivery-outcomes}, keyed by
 * user), so notification-service can fall back to a third-party channel when nobody received it.
 */
public sealed interface DeliveryEvent extends EventPayload {

    String userId();

    /** The id of the event that was (or was not) delivered. */
    UUID deliveredEventId();

    String instanceId();

    @Override
    default String partitionKey() {
        return userId();
    }

    @EventSchema(summary = "A real-time event was written to at least one open stream of its user.")
    record RealtimeEventDelivered(String userId, UUID deliveredEventId, String instanceId, int streams)
            implements DeliveryEvent {}

    @EventSchema(summary = "A real-time event found no open stream of its user on this instance.")
    record RealtimeEventUndelivered(String userId, UUID deliveredEventId, String instanceId, String reason)
            implements DeliveryEvent {}
}
