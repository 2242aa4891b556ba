package com.aiw3.events.realtime;

import com.aiw3.events.EventPayload;
import com.aiw3.events.EventSchema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Events for every connected user (topic {@code realtime-broadcasts}). All share one key so they keep
 * their order: a maintenance notice and its cancellation must not swap.
 */
public sealed interface BroadcastEvent extends EventPayload {

    /** The single key of the broadcast topic. */
    String KEY = "broadcast";

    UUID broadcastId();

    String message();

    default EventCategory category() {
        return EventCategory.SYSTEM;
    }

    @Override
    default String partitionKey() {
        return KEY;
    }

    @EventSchema(summary = "Maintenance is scheduled; every online user is warned.", clientType = "system_maintenance")
    record MaintenanceScheduled(UUID broadcastId, String message, Instant startTime, Instant endTime)
            implements BroadcastEvent {}

    @EventSchema(summary = "A new feature is announced to every online user.", clientType = "feature_announcement")
    record FeatureAnnounced(UUID broadcastId, String message, List<String> items) implements BroadcastEvent {
        public FeatureAnnounced {
            items = List.copyOf(items);
        }
    }
}
