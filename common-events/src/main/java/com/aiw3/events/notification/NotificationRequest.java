package com.aiw3.events.notification;

import com.aiw3.events.EventPayload;
import com.aiw3.events.EventSchema;
import com.aiw3.events.realtime.EventCategory;
import java.util.Map;
import java.util.UUID;

/** Requests to notify a user (topic {@code notification-requests}, keyed by user). */
public sealed interface NotificationRequest extends EventPayload {

    @EventSchema(summary = "A service asks for a user to be notified; notification-service picks the channel.")
    record NotificationRequested(
            UUID notificationId,
            String userId,
            Priority priority,
            EventCategory category,
            String template,
            String title,
            String body,
            Map<String, String> data)
            implements NotificationRequest {
        public NotificationRequested {
            data = Map.copyOf(data);
        }

        @Override
        public String partitionKey() {
            return userId;
        }
    }
}
