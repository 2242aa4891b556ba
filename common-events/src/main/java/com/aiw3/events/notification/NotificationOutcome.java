package com.aiw3.events.notification;

import com.aiw3.events.EventPayload;
import com.aiw3.events.EventSchema;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** What became of each notification (topic {@code notification-outcomes}, keyed by user). */
public sealed interface NotificationOutcome extends EventPayload {

    UUID notificationId();

    String userId();

    @Override
    default String partitionKey() {
        return userId();
    }

    @EventSchema(summary = "A notification reached the user through one channel.")
    record NotificationDelivered(
            UUID notificationId,
            String userId,
            Channel channel,
            @Nullable String providerMessageId) implements NotificationOutcome {}

    @EventSchema(summary = "A channel failed for a notification; finalFailure says whether any channel is left.")
    record NotificationFailed(UUID notificationId, String userId, Channel channel, String reason, boolean finalFailure)
            implements NotificationOutcome {}

    @EventSchema(summary = "A notification was deliberately not sent (opt-out or quiet hours).")
    record NotificationSuppressed(UUID notificationId, String userId, Channel channel, String reason)
            implements NotificationOutcome {}
}
