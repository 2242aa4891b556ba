package com.aiw3.notification.dispatch;

import com.aiw3.events.notification.Priority;
import com.aiw3.events.realtime.EventCategory;
import java.util.Map;
import java.util.UUID;

/** A notification as persisted. */
record StoredNotification(
        UUID id,
        String userId,
        Priority priority,
        EventCategory category,
        String template,
        String title,
        String body,
        Map<String, String> data,
        String status,
        UUID realtimeEventId) {}
