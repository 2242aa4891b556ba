package com.aiw3.events.realtime;

import com.aiw3.events.EventPayload;
import com.aiw3.events.EventSchema;
import com.aiw3.events.notification.Priority;
import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Real-time events for one user (topic {@code realtime-user-events}, keyed by user), delivered by the
 * SSE gateway to that user's open streams. {@link #message()} is the human text the client shows.
 */
public sealed interface UserEvent extends EventPayload {

    String userId();

    String message();

    EventCategory category();

    @Override
    default String partitionKey() {
        return userId();
    }

    @EventSchema(summary = "The user earned a badge.", clientType = "badge_earned")
    record BadgeEarned(String userId, String message, String badgeId, String name) implements UserEvent {
        @Override
        public EventCategory category() {
            return EventCategory.NFT;
        }
    }

    /**
     * One step of a badge activation (ADR 0031), keyed by user like every user event: {@link #activationId()}
     * names the activation, {@link #status()} the step. {@code badgeId} is the badge's code, as in
     * {@link BadgeEarned}. {@link BadgeActivated} is the completion.
     */
    sealed interface BadgeActivationStep extends UserEvent {

        /** Null only on a {@link BadgeActivated} published before activations had ids. */
        @Nullable
        UUID activationId();

        String badgeId();

        BadgeActivationStatus status();

        default int progress() {
            return status().progress();
        }

        @Override
        default EventCategory category() {
            return EventCategory.NFT;
        }
    }

    @EventSchema(
            summary = "The user asked to activate one of their badges; the activation has its id.",
            clientType = "badge_activation_status")
    record BadgeActivationRequested(String userId, String message, UUID activationId, String badgeId, String name)
            implements BadgeActivationStep {
        @Override
        public BadgeActivationStatus status() {
            return BadgeActivationStatus.REQUESTED;
        }
    }

    @EventSchema(
            summary = "The badge of an activation is the user's, earned and not consumed by an upgrade.",
            clientType = "badge_activation_status")
    record BadgeActivationVerified(String userId, String message, UUID activationId, String badgeId, String name)
            implements BadgeActivationStep {
        @Override
        public BadgeActivationStatus status() {
            return BadgeActivationStatus.BADGE_VERIFIED;
        }
    }

    /**
     * The user's standing against their next tier with the badge counted: every requirement's
     * {@code required} and {@code actual}. {@code targetTierId} and {@code targetTierName} are null when the
     * user holds no NFT or the highest tier (no next tier; {@code requirements} is then empty).
     */
    @EventSchema(
            summary = "With the badge activated, the user's progress towards their next tier is recomputed.",
            clientType = "badge_activation_status")
    record TierProgressRecomputed(
            String userId,
            String message,
            UUID activationId,
            String badgeId,
            @Nullable Integer targetTierId,
            @Nullable String targetTierName,
            List<Requirement> requirements,
            boolean qualified)
            implements BadgeActivationStep {
        public TierProgressRecomputed {
            requirements = List.copyOf(requirements);
        }

        @Override
        public BadgeActivationStatus status() {
            return BadgeActivationStatus.PROGRESS_RECOMPUTED;
        }
    }

    /**
     * The completion of an activation: the badge counts towards the next upgrade. {@code activationId}
     * names the activation (ADR 0031).
     */
    @EventSchema(
            summary = "The user activated one of their badges; it counts towards the next upgrade.",
            clientType = "badge_activated")
    record BadgeActivated(
            String userId,
            String message,
            String badgeId,
            String name,
            @Nullable UUID activationId) implements BadgeActivationStep {
        @Override
        public BadgeActivationStatus status() {
            return BadgeActivationStatus.ACTIVATED;
        }
    }

    @EventSchema(
            summary = "A badge activation ended without activating the badge; the reason says why.",
            clientType = "badge_activation_status")
    record BadgeActivationFailed(String userId, String message, UUID activationId, String badgeId, String reason)
            implements BadgeActivationStep {
        @Override
        public BadgeActivationStatus status() {
            return BadgeActivationStatus.FAILED;
        }
    }

    @EventSchema(summary = "A take-profit or stop-loss target of the user was reached.", clientType = "trading_alert")
    record TradingAlertRaised(String userId, String message, String symbol, BigDecimal profit) implements UserEvent {
        @Override
        public EventCategory category() {
            return EventCategory.TRADING;
        }
    }

    @EventSchema(summary = "A price the user watches reached its target.", clientType = "price_alert")
    record PriceAlertTriggered(String userId, String message, String symbol, BigDecimal price) implements UserEvent {
        @Override
        public EventCategory category() {
            return EventCategory.TRADING;
        }
    }

    @EventSchema(summary = "One of the user's positions changed or closed.", clientType = "position_update")
    record PositionUpdated(String userId, String message, String positionId, BigDecimal pnl) implements UserEvent {
        @Override
        public EventCategory category() {
            return EventCategory.TRADING;
        }
    }

    @EventSchema(summary = "A friend of the user did something worth showing.", clientType = "friend_activity")
    record FriendActivityOccurred(String userId, String message, String friendId, String activity)
            implements UserEvent {
        @Override
        public EventCategory category() {
            return EventCategory.SOCIAL;
        }
    }

    @EventSchema(summary = "A chat message arrived in a room the user is in.", clientType = "chat_message")
    record ChatMessagePosted(String userId, String message, String roomId, String sender, String text)
            implements UserEvent {
        @Override
        public EventCategory category() {
            return EventCategory.SOCIAL;
        }
    }

    @EventSchema(summary = "The user's rank in a competition changed.", clientType = "competition_ranking")
    record CompetitionRankChanged(String userId, String message, String contest, int rank) implements UserEvent {
        @Override
        public EventCategory category() {
            return EventCategory.SOCIAL;
        }
    }

    /**
     * The online path of a notification: notification-service found the user online and hands the
     * notification to the SSE gateway instead of a third-party channel.
     */
    @EventSchema(summary = "A notification for a user who is online, to show in the app.", clientType = "notification")
    record InAppNotificationIssued(
            String userId,
            String message,
            UUID notificationId,
            String title,
            Priority priority,
            EventCategory category,
            Map<String, String> data)
            implements UserEvent {
        public InAppNotificationIssued {
            data = Map.copyOf(data);
        }
    }

    /**
     * A notification entered the user's inbox, whatever channel delivered it (suppressed ones too). With
     * a grouping key ({@code groupKey}), it replaces the unread item of the same group, and
     * {@code groupCount} says how many it stands for. The counts are the inbox's right after the change.
     */
    @EventSchema(
            summary = "A notification entered the user's inbox; carries the inbox's unread and unseen counts.",
            clientType = "inbox_item_added")
    record InboxItemAdded(
            String userId,
            String message,
            UUID notificationId,
            String title,
            Priority priority,
            EventCategory category,
            Instant createdAt,
            @Nullable String groupKey,
            int groupCount,
            int unreadCount,
            int unseenCount)
            implements UserEvent {}

    /**
     * The user changed one inbox item (seen, read, archived, snoozed) on one of their devices; every other
     * device applies it and shows the new counts.
     */
    @EventSchema(
            summary = "The user changed the state of one inbox item; carries the new unread and unseen counts.",
            clientType = "inbox_item_updated")
    record InboxItemUpdated(
            String userId,
            String message,
            UUID notificationId,
            boolean seen,
            boolean read,
            boolean archived,
            @Nullable Instant snoozedUntil,
            int unreadCount,
            int unseenCount)
            implements UserEvent {
        @Override
        public EventCategory category() {
            return EventCategory.SYSTEM;
        }
    }

    /** The user marked every unread inbox item read, of one category ({@code onlyCategory}) or all. */
    @EventSchema(
            summary = "The user marked their unread inbox items read; carries the new unread and unseen counts.",
            clientType = "inbox_all_read")
    record InboxAllRead(
            String userId,
            String message,
            @Nullable EventCategory onlyCategory,
            int markedRead,
            int unreadCount,
            int unseenCount)
            implements UserEvent {
        @Override
        public EventCategory category() {
            return EventCategory.SYSTEM;
        }
    }
}
