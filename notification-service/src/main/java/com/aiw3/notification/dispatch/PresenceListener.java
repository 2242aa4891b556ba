package com.aiw3.notification.dispatch;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.presence.DeliveryEvent;
import com.aiw3.events.presence.GatewayInstanceEvent.GatewayInstanceAlive;
import com.aiw3.events.presence.PresenceEvent;
import com.aiw3.events.topic.Topics;
import com.aiw3.messaging.NonRetryableEventException;
import com.aiw3.notification.presence.Presence;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Presence, instance heartbeats and real-time delivery confirmations from sse-gateway; all idempotent by nature. */
@Component
class PresenceListener {

    private final Presence presence;
    private final NotificationRouter router;

    PresenceListener(Presence presence, NotificationRouter router) {
        this.presence = presence;
        this.router = router;
    }

    @KafkaListener(
            id = "notification-presence",
            topics = {
                Topics.Names.USER_PRESENCE,
                Topics.Names.REALTIME_DELIVERY_OUTCOMES,
                Topics.Names.SSE_GATEWAY_INSTANCES
            })
    void on(ConsumerRecord<String, EventEnvelope<EventPayload>> record) {
        if (record.value() == null) {
            throw new NonRetryableEventException("not an event envelope");
        }
        switch (record.value().payload()) {
            case PresenceEvent event -> presence.record(event);
            case GatewayInstanceAlive alive -> presence.record(alive);
            case DeliveryEvent.RealtimeEventDelivered delivered ->
                router.realtimeDelivered(delivered.deliveredEventId());
            case DeliveryEvent.RealtimeEventUndelivered undelivered ->
                router.realtimeUndelivered(undelivered.deliveredEventId());
            default -> {
                // Other and newer event types on these topics are not ours to act on.
            }
        }
    }
}
