package com.aiw3.testing;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.notification.Channel;
import com.aiw3.events.notification.NotificationOutcome;
import com.aiw3.events.presence.DeliveryEvent;
import com.aiw3.events.presence.PresenceEvent;
import com.aiw3.events.upgrade.UpgradeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A realistic mix of platform events for load: each user goes through one whole upgrade. */
public final class EventMix {

    /** Events per user in {@link #upgradeJourneys}. */
    public static final int EVENTS_PER_USER = 6;

    private EventMix() {}

    public static List<EventEnvelope<?>> upgradeJourneys(int users) {
        List<EventEnvelope<?>> events = new ArrayList<>(users * EVENTS_PER_USER);
        for (int i = 0; i < users; i++) {
            String user = "user-" + i;
            UUID upgrade = UUID.randomUUID();
            var initiated = EventEnvelope.of(
                    new UpgradeEvent.UpgradeInitiated(upgrade, user, "wallet-" + i, "mint-" + i, 1 + i % 4, 2 + i % 4),
                    "upgrade-service");
            events.add(initiated);
            events.add(
                    EventEnvelope.of(new PresenceEvent.UserCameOnline(user, "sse-1", 1, Instant.now()), "sse-gateway"));
            events.add(EventEnvelope.causedBy(
                    initiated,
                    new UpgradeEvent.BurnVerified(upgrade, user, "sig-" + i, "mint-" + i),
                    "upgrade-service"));
            var completed = EventEnvelope.causedBy(
                    initiated,
                    new UpgradeEvent.UpgradeCompleted(
                            upgrade,
                            user,
                            1 + i % 4,
                            2 + i % 4,
                            new UpgradeEvent.MintedNft(
                                    "new-" + i, 2 + i % 4, "Tier", 2 + i % 4, "ipfs://cid", "mint-sig"),
                            List.of("badge-" + i)),
                    "upgrade-service");
            events.add(completed);
            events.add(EventEnvelope.causedBy(
                    completed,
                    new DeliveryEvent.RealtimeEventDelivered(user, completed.eventId(), "sse-1", 1),
                    "sse-gateway"));
            events.add(EventEnvelope.causedBy(
                    completed,
                    new NotificationOutcome.NotificationDelivered(UUID.randomUUID(), user, Channel.REALTIME, null),
                    "notification-service"));
        }
        return events;
    }
}
