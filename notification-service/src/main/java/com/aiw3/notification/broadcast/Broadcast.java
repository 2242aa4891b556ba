package com.aiw3.notification.broadcast;

import com.aiw3.events.realtime.BroadcastEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One broadcast as sent: a maintenance notice (with its window) or a feature announcement (with its items),
 * who sent it and the id of the event that carried it to the streams.
 */
record Broadcast(
        UUID broadcastId,
        String kind,
        String message,
        @Nullable Instant startTime,
        @Nullable Instant endTime,
        List<String> items,
        String sentBy,
        UUID eventId,
        Instant createdAt) {

    static final String MAINTENANCE = "maintenance";
    static final String FEATURE = "feature";

    Broadcast {
        items = List.copyOf(items);
    }

    /** What an operator asks to broadcast, checked: the same request is the same broadcast. */
    record Request(
            String kind,
            String message,
            @Nullable Instant startTime,
            @Nullable Instant endTime,
            List<String> items) {

        Request {
            items = List.copyOf(items);
        }

        BroadcastEvent event(UUID broadcastId) {
            if (kind.equals(MAINTENANCE) && startTime != null && endTime != null) {
                return new BroadcastEvent.MaintenanceScheduled(broadcastId, message, startTime, endTime);
            }
            return new BroadcastEvent.FeatureAnnounced(broadcastId, message, items);
        }

        boolean sameAs(Broadcast sent) {
            return kind.equals(sent.kind())
                    && message.equals(sent.message())
                    && java.util.Objects.equals(startTime, sent.startTime())
                    && java.util.Objects.equals(endTime, sent.endTime())
                    && items.equals(sent.items());
        }
    }
}
