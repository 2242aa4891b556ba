package com.aiw3.notification.dispatch;

import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.notification.Priority;
import java.util.Map;
import java.util.UUID;

/** A notification as persisted: the request it came from, where it stands, and the stream event it awaits. */
record StoredNotification(NotificationRequested request, String status, UUID realtimeEventId) {

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
