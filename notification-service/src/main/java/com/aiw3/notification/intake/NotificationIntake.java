package com.aiw3.notification.intake;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.messaging.NonRetryableEventException;
import com.aiw3.notification.NotificationProperties;
import com.aiw3.notification.contact.Contacts;
import com.aiw3.notification.dispatch.NotificationRouter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Explicit requests ({@code notification-requests}) and the ones upgrades imply. A request that cannot
 * be served (unknown user, missing fields) is dead-lettered with the reason, never dropped.
 */
@Component
class NotificationIntake {

    private final NotificationRouter router;
    private final Contacts contacts;
    private final NotificationProperties properties;

    NotificationIntake(NotificationRouter router, Contacts contacts, NotificationProperties properties) {
        this.router = router;
        this.contacts = contacts;
        this.properties = properties;
    }

    @KafkaListener(
            id = "notification-intake",
            topics = {
                Topics.Names.NOTIFICATION_REQUESTS,
                Topics.Names.NFT_UPGRADE_EVENTS,
                Topics.Names.REALTIME_USER_EVENTS
            })
    void on(ConsumerRecord<String, EventEnvelope<EventPayload>> record) {
        EventEnvelope<EventPayload> event = record.value();
        if (event == null) {
            throw new NonRetryableEventException("not an event envelope");
        }
        switch (event.payload()) {
            case NotificationRequested request -> router.accept(validated(request), event.occurredAt());
            case UpgradeEvent upgrade -> {
                UpgradeNotifications.forUser(event.eventId(), upgrade)
                        .ifPresent(request -> router.accept(request, event.occurredAt()));
                if (upgrade instanceof UpgradeEvent.MintFailedCritical critical
                        && !properties.support().emails().isEmpty()) {
                    router.alertSupport(
                            UpgradeNotifications.supportAlert(event.eventId(), critical),
                            properties.support().emails(),
                            event.occurredAt());
                }
            }
            case com.aiw3.events.upgrade.ClaimEvent claim ->
                UpgradeNotifications.forClaim(event.eventId(), claim)
                        .ifPresent(request -> router.accept(request, event.occurredAt()));
            case com.aiw3.events.realtime.UserEvent.BadgeEarned badge ->
                router.acceptStreamed(
                        UpgradeNotifications.forBadge(event.eventId(), badge), event.eventId(), event.occurredAt());
            default -> {
                // Not a notification (our own in-app events come back on realtime-user-events too).
            }
        }
    }

    private NotificationRequested validated(NotificationRequested r) {
        if (r.notificationId() == null || r.priority() == null || r.category() == null) {
            throw new NonRetryableEventException("notificationId, priority and category are required");
        }
        if (isBlank(r.userId()) || isBlank(r.title()) || isBlank(r.body()) || isBlank(r.template())) {
            throw new NonRetryableEventException("userId, template, title and body are required");
        }
        if (contacts.find(r.userId()).isEmpty()) {
            throw new NonRetryableEventException("unknown user " + r.userId() + ": no contact data");
        }
        return r;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
