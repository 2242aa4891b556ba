package com.aiw3.notification.inbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One item of a user's feed as the API shows it. {@code groupCount} is how many notifications of its group
 * it stands for (1 without a grouping key); {@code delivery} is where its delivery stands.
 */
record InboxItem(
        UUID id,
        String category,
        String priority,
        String title,
        String body,
        Map<String, String> data,
        Instant createdAt,
        @Nullable Instant seenAt,
        @Nullable Instant readAt,
        @Nullable Instant archivedAt,
        @Nullable Instant snoozedUntil,
        @Nullable String groupKey,
        int groupCount,
        String delivery) {

    boolean seen() {
        return seenAt != null;
    }

    boolean read() {
        return readAt != null;
    }

    boolean archived() {
        return archivedAt != null;
    }
}
