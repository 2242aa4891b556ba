package com.aiw3.notification.dispatch;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.notification.Channel;
import com.aiw3.events.notification.NotificationOutcome;
import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.notification.Priority;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.notification.NotificationProperties;
import com.aiw3.notification.inbox.Inbox;
import com.aiw3.notification.presence.Presence;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The golden rule: an online user gets the notification as a real-time event on their
 * stream; a third party is used only when they are offline, or when the stream does not confirm the
 * delivery within the window (they closed the app meanwhile, their gateway instance died).
 */
@Component
public class NotificationRouter {

    private final NotificationStore store;
    private final Presence presence;
    private final Inbox inbox;
    private final Dispatcher dispatcher;
    private final EventPublisher events;
    private final TransactionTemplate tx;
    private final NotificationProperties properties;
    private final String source;

    NotificationRouter(
            NotificationStore store,
            Presence presence,
            Inbox inbox,
            Dispatcher dispatcher,
            EventPublisher events,
            TransactionTemplate tx,
            NotificationProperties properties,
            MessagingProperties messaging) {
        this.store = store;
        this.presence = presence;
        this.inbox = inbox;
        this.dispatcher = dispatcher;
        this.events = events;
        this.tx = tx;
        this.properties = properties;
        this.source = messaging.source();
    }

    /**
     * Takes a request (idempotently: a redelivered one resumes where it stopped) and routes it. Runs the
     * offline dispatch on the caller's thread, so a crash redelivers the request.
     */
    public void accept(NotificationRequested request, Instant occurredAt) {
        route(request, occurredAt, () -> issue(request), false);
    }

    /** Publishes the notification's real-time form on the user's stream; returns the event's id. */
    private UUID issue(NotificationRequested request) {
        EventEnvelope<UserEvent.InAppNotificationIssued> realtime = EventEnvelope.of(
                new UserEvent.InAppNotificationIssued(
                        request.userId(),
                        request.body(),
                        request.notificationId(),
                        request.title(),
                        request.priority(),
                        request.category(),
                        request.data()),
                source);
        events.publish(realtime);
        return realtime.eventId();
    }

    /**
     * A notification whose real-time form is an event already on the user's stream (a badge earned):
     * online, that event's delivery confirmation is awaited rather than a second event issued (it may
     * have been confirmed already); offline, the third-party plan runs.
     */
    public void acceptStreamed(NotificationRequested request, UUID streamedEventId, Instant occurredAt) {
        route(request, occurredAt, () -> streamedEventId, true);
    }

    /**
     * The one routing rule: known already → resume a dispatch that did not finish; new → an item of the
     * user's inbox; online → wait for the stream to confirm {@code realtimeEvent} (issued inside the
     * transaction); offline → dispatch now when high, else hold it for {@code inbox.fallback-delay} (read in
     * the app meanwhile, it is not sent).
     */
    private void route(
            NotificationRequested request, Instant occurredAt, Supplier<UUID> realtimeEvent, boolean mayBeConfirmed) {
        if (admit(request, occurredAt, realtimeEvent, mayBeConfirmed)) {
            dispatcher.dispatch(request.notificationId());
        }
    }

    /**
     * The notification this service makes itself (a quiet-hours digest), routed by the same rule; runs in
     * the caller's transaction. True when its third-party plan is to run now, after that transaction.
     */
    boolean admitOwn(NotificationRequested request) {
        return admit(request, Instant.now(), () -> issue(request), false);
    }

    /** Stores and routes a notification in one transaction (the caller's, if any); true: dispatch it now. */
    private boolean admit(
            NotificationRequested request, Instant occurredAt, Supplier<UUID> realtimeEvent, boolean mayBeConfirmed) {
        UUID id = request.notificationId();
        return Boolean.TRUE.equals(tx.execute(status -> {
            if (!store.insert(request, true, occurredAt)) {
                return store.find(id).map(n -> n.status().equals("dispatching")).orElse(false);
            }
            inbox.added(request);
            if (!presence.online(request.userId())) {
                Duration delay = properties.inbox().fallbackDelay();
                if (request.priority() == Priority.HIGH || delay.isZero()) {
                    return true;
                }
                store.hold(id, Instant.now().plus(delay));
                return false;
            }
            UUID eventId = realtimeEvent.get();
            store.awaitRealtime(id, eventId, Instant.now().plus(properties.realtimeConfirmWindow()));
            if (mayBeConfirmed && store.alreadyConfirmed(eventId)) {
                realtimeDelivered(eventId);
            }
            return false;
        }));
    }

    /** sse-gateway wrote the event to an open stream. */
    public void realtimeDelivered(UUID realtimeEventId) {
        tx.executeWithoutResult(status -> store.confirmRealtime(realtimeEventId)
                .ifPresent(n -> dispatcher.publish(new NotificationOutcome.NotificationDelivered(
                        n.id(), n.userId(), Channel.REALTIME, realtimeEventId.toString()))));
    }

    /** sse-gateway could not deliver it (no stream left): fall back now rather than at the deadline. */
    public void realtimeUndelivered(UUID realtimeEventId) {
        store.byRealtimeEvent(realtimeEventId).ifPresent(this::fallBack);
    }

    void fallBack(UUID id) {
        if (store.fallBack(id)) {
            dispatcher.dispatch(id);
        }
    }

    /** The hold of a notification for an offline user ended: the third-party plan runs, unless it was read. */
    void release(UUID id) {
        if (store.release(id)) {
            dispatcher.dispatch(id);
        }
    }

    /**
     * Support alerts go by email to the configured addresses, whatever their presence or preferences;
     * one delivery per address, deduplicated like any other.
     */
    public void alertSupport(NotificationRequested alert, List<String> addresses, Instant occurredAt) {
        tx.executeWithoutResult(status -> store.insert(alert, false, occurredAt));
        StoredNotification n = store.find(alert.notificationId()).orElseThrow();
        boolean all = true;
        for (int i = 0; i < addresses.size(); i++) {
            String address = addresses.get(i);
            if (dispatcher.claimed(n, Channel.EMAIL, address)) {
                all &= dispatcher.send(n, Channel.EMAIL, address, "en", i == addresses.size() - 1);
            }
        }
        store.finish(n.id(), all ? "delivered" : "failed");
    }
}
