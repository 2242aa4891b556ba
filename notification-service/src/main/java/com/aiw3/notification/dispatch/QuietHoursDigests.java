package com.aiw3.notification.dispatch;

import com.aiw3.events.EventIds;
import com.aiw3.events.notification.Channel;
import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.notification.Priority;
import com.aiw3.events.realtime.EventCategory;
import com.aiw3.notification.contact.Contact;
import com.aiw3.notification.contact.Contacts;
import com.aiw3.notification.dispatch.NotificationStore.Waiting;
import com.aiw3.notification.inbox.Inbox;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A user who asked for it gets, when their quiet hours end, one digest of the notifications those quiet
 * hours held back and that are still unread, instead of nothing (each one stays unread in the inbox). The
 * digest is a notification of its own, routed by the golden rule: on the stream when the user is online,
 * else, after {@code inbox.fallback-delay} and unless read in the app by then, on the one channel the user
 * chose (email or push).
 *
 * <p>Exactly once per user and end of quiet hours, with any number of instances and restarts: the digest's
 * id is derived from the user and the end of the quiet hours (a second insert of it does nothing), and the
 * notifications it sums up are claimed ({@code for update skip locked}, under the user's inbox lock) and
 * marked in the transaction that stores it.
 */
@Component
class QuietHoursDigests {

    static final String TEMPLATE = "quiet_hours_digest";

    /** Successive unread digests collapse into one item of the feed. */
    static final String GROUP = "quiet-hours-digest";

    private static final Logger log = LoggerFactory.getLogger(QuietHoursDigests.class);
    private static final int BATCH = 100;
    private static final int TITLES_SHOWN = 3;

    private final NotificationStore store;
    private final NotificationRouter router;
    private final Dispatcher dispatcher;
    private final Contacts contacts;
    private final Inbox inbox;
    private final TransactionTemplate tx;

    QuietHoursDigests(
            NotificationStore store,
            NotificationRouter router,
            Dispatcher dispatcher,
            Contacts contacts,
            Inbox inbox,
            TransactionTemplate tx) {
        this.store = store;
        this.router = router;
        this.dispatcher = dispatcher;
        this.contacts = contacts;
        this.inbox = inbox;
        this.tx = tx;
    }

    static boolean isDigest(NotificationRequested n) {
        return TEMPLATE.equals(n.template());
    }

    /** A digest goes on the channel it was made for, and on no other. */
    static List<Channel> plan(NotificationRequested digest) {
        return List.of(Channel.PUSH.wireName().equals(digest.data().get("channel")) ? Channel.PUSH : Channel.EMAIL);
    }

    @Scheduled(initialDelay = 1000, fixedDelayString = "${aiw3.notification.sweep-interval:1s}")
    void sweep() {
        try {
            digestDue();
        } catch (RuntimeException e) {
            log.warn("quiet-hours digests failed; the next sweep retries: {}", e.getMessage());
        }
    }

    /** Makes the digests whose quiet hours have ended; returns how many this call made. */
    int digestDue() {
        int made = 0;
        for (String user : store.digestsDue(BATCH)) {
            Made digest = digest(user);
            if (digest != null) {
                made++;
                if (digest.dispatchNow()) {
                    dispatcher.dispatch(digest.id());
                }
            }
        }
        return made;
    }

    private record Made(UUID id, boolean dispatchNow) {}

    /** The user's digest, made and stored with the claim of what it sums up; null when none is due. */
    private @Nullable Made digest(String user) {
        return tx.execute(status -> {
            inbox.lockUser(user);
            List<Waiting> waiting = store.claimDigestDue(user);
            if (waiting.isEmpty()) {
                return null; // made meanwhile by another instance
            }
            List<UUID> ids = waiting.stream().map(Waiting::id).toList();
            ZonedDateTime now = ZonedDateTime.now();
            Optional<Contact> contact = contacts.find(user);
            @Nullable Channel channel = contact.map(Contact::quietHoursDigest).orElse(null);
            if (channel == null) {
                store.digested(ids, null); // the user no longer wants a digest: the items stay in the inbox
                return null;
            }
            Contact c = contact.get();
            if (c.inQuietHours(now)) {
                // The user moved or lengthened their quiet hours meanwhile: the digest waits for the new end.
                store.postponeDigest(ids, c.quietHoursEndAfter(now));
                return null;
            }
            List<Waiting> unread = waiting.stream().filter(Waiting::unread).toList();
            if (unread.isEmpty()) {
                store.digested(ids, null); // everything was read in the app already
                return null;
            }
            Instant ended = waiting.stream()
                    .map(Waiting::due)
                    .max(Comparator.naturalOrder())
                    .orElseThrow();
            NotificationRequested digest = digest(user, ended, unread, channel);
            boolean dispatchNow = router.admitOwn(digest);
            store.digested(ids, digest.notificationId());
            return new Made(digest.notificationId(), dispatchNow);
        });
    }

    static NotificationRequested digest(String user, Instant ended, List<Waiting> unread, Channel channel) {
        int count = unread.size();
        StringBuilder body = new StringBuilder()
                .append(count)
                .append(count == 1 ? " notification" : " notifications")
                .append(" arrived during your quiet hours: ");
        List<String> titles =
                unread.stream().limit(TITLES_SHOWN).map(Waiting::title).toList();
        body.append(String.join(", ", titles));
        if (count > TITLES_SHOWN) {
            body.append(" and ").append(count - TITLES_SHOWN).append(" more");
        }
        body.append(". ").append(count == 1 ? "It is" : "They are").append(" unread in your inbox.");
        return new NotificationRequested(
                EventIds.derived("quiet-hours-digest", user, ended.toEpochMilli()),
                user,
                Priority.LOW,
                EventCategory.SYSTEM,
                TEMPLATE,
                "While you were in quiet hours",
                body.toString(),
                Map.of(
                        Inbox.GROUP_KEY,
                        GROUP,
                        "channel",
                        channel.wireName(),
                        "count",
                        Integer.toString(count),
                        "quietHoursEnded",
                        ended.toString()));
    }
}
