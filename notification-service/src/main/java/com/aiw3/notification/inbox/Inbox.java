package com.aiw3.notification.inbox;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.realtime.EventCategory;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.notification.NotificationProperties;
import com.aiw3.notification.inbox.InboxStore.Counts;
import com.aiw3.notification.inbox.InboxStore.Cursor;
import com.aiw3.notification.inbox.InboxStore.Filter;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A user's inbox: every notification addressed to them, whatever channel delivered it. Each change is
 * published on the user's stream (through the outbox, in the same transaction) with the unread counts
 * after it, so every open device of the user shows the same badge.
 */
@Component
public class Inbox {

    /** The data key by which a notification names its group; longer keys are not grouped. */
    public static final String GROUP_KEY = "groupKey";

    static final int GROUP_KEY_MAX = 128;

    private final InboxStore store;
    private final EventPublisher events;
    private final TransactionTemplate tx;
    private final NotificationProperties.Inbox settings;
    private final String source;

    Inbox(
            InboxStore store,
            EventPublisher events,
            TransactionTemplate tx,
            NotificationProperties properties,
            MessagingProperties messaging) {
        this.store = store;
        this.events = events;
        this.tx = tx;
        this.settings = properties.inbox();
        this.source = messaging.source();
    }

    /**
     * A notification was stored for its user (call inside the transaction that stored it): it joins the
     * feed, replacing the unread items of its group, the oldest finished ones beyond the cap leave, and
     * the user's streams hear of it.
     */
    public void added(NotificationRequested n) {
        store.lockUser(n.userId());
        String key = n.data().get(GROUP_KEY);
        String group = key == null || key.isBlank() || key.length() > GROUP_KEY_MAX ? null : key;
        int groupCount = group == null ? 1 : store.collapse(n.notificationId(), n.userId(), group);
        store.cap(n.userId(), settings.maxItemsPerUser());
        Counts counts = store.counts(n.userId());
        Instant createdAt = store.find(n.userId(), n.notificationId())
                .map(InboxItem::createdAt)
                .orElseGet(Instant::now);
        publish(new UserEvent.InboxItemAdded(
                n.userId(),
                n.body(),
                n.notificationId(),
                n.title(),
                n.priority(),
                n.category(),
                createdAt,
                group,
                groupCount,
                counts.unread(),
                counts.unseen()));
    }

    /**
     * Serialises the inbox writes of the user for the rest of the caller's transaction (taken again by each
     * write of the transaction, at no cost).
     */
    public void lockUser(String userId) {
        store.lockUser(userId);
    }

    record Page(List<InboxItem> items, @Nullable Cursor next) {}

    Page page(String userId, Filter filter, @Nullable Cursor after, int limit) {
        List<InboxItem> items = store.page(userId, filter, after, limit + 1);
        if (items.size() <= limit) {
            return new Page(items, null);
        }
        List<InboxItem> shown = items.subList(0, limit);
        InboxItem last = shown.getLast();
        return new Page(List.copyOf(shown), new Cursor(last.createdAt(), last.id()));
    }

    Counts counts(String userId) {
        return store.counts(userId);
    }

    /**
     * What a client asks to change on one item; a null field stays as it is. Read implies seen, so
     * unseeing an item also makes it unread.
     */
    record Change(
            @Nullable Boolean seen,
            @Nullable Boolean read,
            @Nullable Boolean archived,
            boolean snoozeGiven,
            @Nullable Instant snoozedUntil) {}

    /** Applies the change to the caller's own item; empty when the caller has no such item. */
    java.util.Optional<InboxItem> change(String userId, UUID id, Change change) {
        return java.util.Optional.ofNullable(tx.execute(status -> {
            store.lockUser(userId);
            java.util.Optional<InboxItem> found = store.lockOwn(userId, id);
            if (found.isEmpty()) {
                return null;
            }
            InboxItem before = found.get();
            InboxItem after = applied(before, change, Instant.now());
            store.write(id, after);
            if (after.read() && !before.read() && after.groupKey() != null) {
                store.readCollapsed(userId, after.groupKey());
            }
            Counts counts = store.counts(userId);
            publish(new UserEvent.InboxItemUpdated(
                    userId,
                    describe(before, after),
                    id,
                    after.seen(),
                    after.read(),
                    after.archived(),
                    after.snoozedUntil(),
                    counts.unread(),
                    counts.unseen()));
            return after;
        }));
    }

    record AllRead(int markedRead, Counts counts) {}

    AllRead readAll(String userId, @Nullable EventCategory category) {
        return java.util.Objects.requireNonNull(tx.execute(status -> {
            store.lockUser(userId);
            int marked = store.readAll(userId, category == null ? null : category.name());
            Counts counts = store.counts(userId);
            publish(new UserEvent.InboxAllRead(
                    userId,
                    marked + (marked == 1 ? " notification" : " notifications") + " marked read",
                    category,
                    marked,
                    counts.unread(),
                    counts.unseen()));
            return new AllRead(marked, counts);
        }));
    }

    /** Removes read and archived items past their retention; returns how many went. */
    int expire(int batch) {
        Instant before = Instant.now().minus(settings.settledRetention());
        int total = 0;
        int removed;
        do {
            removed = store.expire(before, batch);
            total += removed;
        } while (removed == batch);
        return total;
    }

    static InboxItem applied(InboxItem item, Change change, Instant now) {
        Instant seen = item.seenAt();
        Instant read = item.readAt();
        if (Boolean.TRUE.equals(change.seen())) {
            seen = seen == null ? now : seen;
        } else if (Boolean.FALSE.equals(change.seen())) {
            seen = null;
            read = null;
        }
        if (Boolean.TRUE.equals(change.read())) {
            read = read == null ? now : read;
            seen = seen == null ? now : seen;
        } else if (Boolean.FALSE.equals(change.read())) {
            read = null;
        }
        Instant archived = item.archivedAt();
        if (Boolean.TRUE.equals(change.archived())) {
            archived = archived == null ? now : archived;
        } else if (Boolean.FALSE.equals(change.archived())) {
            archived = null;
        }
        Instant snoozed = change.snoozeGiven() ? change.snoozedUntil() : item.snoozedUntil();
        return new InboxItem(
                item.id(),
                item.category(),
                item.priority(),
                item.title(),
                item.body(),
                item.data(),
                item.createdAt(),
                seen,
                read,
                archived,
                snoozed,
                item.groupKey(),
                item.groupCount(),
                item.delivery());
    }

    private static String describe(InboxItem before, InboxItem after) {
        if (after.archived() != before.archived()) {
            return after.archived() ? "Notification archived" : "Notification restored";
        }
        if (after.read() != before.read()) {
            return after.read() ? "Notification read" : "Notification marked unread";
        }
        if (after.snoozedUntil() != null && !after.snoozedUntil().equals(before.snoozedUntil())) {
            return "Notification snoozed";
        }
        return after.seen() ? "Notification seen" : "Notification updated";
    }

    private void publish(UserEvent event) {
        events.publish(EventEnvelope.of(event, source));
    }
}
