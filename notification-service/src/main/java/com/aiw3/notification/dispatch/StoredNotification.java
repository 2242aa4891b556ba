package com.aiw3.notification.dispatch;

import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.notification.Priority;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A notification as persisted: the request it came from, where it stands, the stream event it awaits, and
 * when the event it comes from was committed at its source (null for rows from before that was kept).
 */
record StoredNotification(
        NotificationRequested request,
        String status,
        UUID realtimeEventId,
        @Nullable Instant sourceOccurredAt) {

    UUID id() {
        return request.notificationId();
    }

    String userId() {
        return request.userId();
    }

    Priority priority() {
        return request.priority();
    }

    String template() {
        return request.template();
    }

    String title() {
        return request.title();
    }

    String body() {
        return request.body();
    }

    Map<String, String> data() {
        return request.data();
    }
}
