package com.aiw3.analytics.projection;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.notification.NotificationOutcome;
import com.aiw3.events.presence.DeliveryEvent;
import com.aiw3.events.presence.PresenceEvent;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.messaging.NonRetryableEventException;
import com.aiw3.messaging.inbox.IdempotentConsumer;
import com.aiw3.messaging.tracing.MessageTracing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Applies each event once (the inbox records its id in the same transaction as the table change), so
 * redeliveries and restarts leave the figures exact. Every write is order-independent, so late and
 * out-of-order events land where they belong. Each batch runs in one span linked to its records' traces.
 */
@Component
class AnalyticsProjector {

    static final String CONSUMER = "analytics-projector";

    private final IdempotentConsumer inbox;
    private final ProjectionWrites writes;
    private final BadgeProjection badges;
    private final MessageTracing tracing;

    AnalyticsProjector(
            IdempotentConsumer inbox, ProjectionWrites writes, BadgeProjection badges, MessageTracing tracing) {
        this.inbox = inbox;
        this.writes = writes;
        this.badges = badges;
        this.tracing = tracing;
    }

    @KafkaListener(
            id = CONSUMER,
            batch = "true",
            topics = {
                Topics.Names.NFT_UPGRADE_EVENTS,
                Topics.Names.NOTIFICATION_OUTCOMES,
                Topics.Names.REALTIME_DELIVERY_OUTCOMES,
                Topics.Names.USER_PRESENCE,
                Topics.Names.REALTIME_USER_EVENTS
            })
    void on(List<ConsumerRecord<String, EventEnvelope<EventPayload>>> records) {
        try (MessageTracing.Scope batch = tracing.batch(CONSUMER + " batch", records)) {
            project(records);
        }
    }

    private void project(List<ConsumerRecord<String, EventEnvelope<EventPayload>>> records) {
        List<EventEnvelope<EventPayload>> events = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            EventEnvelope<EventPayload> event = records.get(i).value();
            if (event == null) {
                // Unreadable bytes (the deserializer's error is in the headers): apply what precedes, dead-letter it.
                inbox.runOnceEach(CONSUMER, events, e -> apply(e.payload(), e.occurredAt()));
                throw new BatchListenerFailedException(
                        "unreadable record", new NonRetryableEventException("not an event envelope"), i);
            }
            if (counted(event.payload())) {
                events.add(event);
            }
        }
        inbox.runOnceEach(CONSUMER, events, e -> apply(e.payload(), e.occurredAt()));
    }

    /**
     * Of the users' real-time events (trading alerts, chat, ...) only badges are counted: the rest is
     * skipped before the inbox, so it costs no row.
     */
    private static boolean counted(EventPayload payload) {
        return !(payload instanceof UserEvent)
                || payload instanceof UserEvent.BadgeEarned
                || payload instanceof UserEvent.BadgeActivated;
    }

    private void apply(EventPayload payload, Instant at) {
        switch (payload) {
            case UpgradeEvent.UpgradeInitiated i -> writes.upgradeInitiated(i, at);
            case UpgradeEvent.BurnVerified b -> writes.burnVerified(b, at);
            case UpgradeEvent.UpgradeCompleted c -> writes.upgradeCompleted(c, at);
            case UpgradeEvent u when u.status().terminal() -> writes.upgradeEnded(u, at);
            case UpgradeEvent ignored -> {
                // intermediate steps are not funnel stages
            }
            case ClaimEvent.ClaimInitiated i -> writes.claimInitiated(i, at);
            case ClaimEvent.ClaimQualificationVerified q -> writes.claimQualified(q, at);
            case ClaimEvent.NftClaimed c -> writes.nftClaimed(c, at);
            case ClaimEvent c when c.status().terminal() -> writes.claimEnded(c, at);
            case ClaimEvent ignored -> {
                // intermediate steps are not funnel stages
            }
            case NotificationOutcome.NotificationDelivered d -> writes.notification(d.channel(), "delivered");
            case NotificationOutcome.NotificationFailed f -> writes.notification(f.channel(), "failed");
            case NotificationOutcome.NotificationSuppressed s -> writes.notification(s.channel(), "suppressed");
            case DeliveryEvent.RealtimeEventDelivered ignored -> writes.realtime("delivered");
            case DeliveryEvent.RealtimeEventUndelivered ignored -> writes.realtime("undelivered");
            case PresenceEvent.UserCameOnline o -> writes.presence(o.userId(), o.instanceId(), true, at);
            case PresenceEvent.UserWentOffline o -> writes.presence(o.userId(), o.instanceId(), false, at);
            case UserEvent.BadgeEarned b -> badges.earned(b.userId(), b.badgeId(), at);
            case UserEvent.BadgeActivated b -> badges.activated(b.userId(), b.badgeId(), at);
            default -> {
                // a type this build does not know (UnknownEvent) or one analytics does not count
            }
        }
    }
}
