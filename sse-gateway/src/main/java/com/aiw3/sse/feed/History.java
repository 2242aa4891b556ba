package com.aiw3.sse.feed;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.events.EventPayload;
import com.aiw3.events.realtime.BroadcastEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The recent events of each user and of broadcasts, in Kafka order, within the history window. Appends
 * and subscriptions of one user are serialised on that user's lock, so a new stream gets exactly the
 * history it missed and then every live event: no gap, no duplicate.
 *
 * <p>Bounded in time and in memory: nothing older than the window is ever replayed, at most
 * {@code maxPerUser} events are kept per user, and a user with neither kept events nor open streams takes
 * no memory at all. {@link #sweep()} (run periodically) drops what has aged out, so the memory follows the
 * users of the last window, not every user ever seen.
 */
public final class History {

    /** Where a stream has got to: the last user event and the last broadcast it was sent. */
    public record Cursor(
            @Nullable UUID lastUserEvent, @Nullable UUID lastBroadcast) {
        public static final Cursor START = new Cursor(null, null);

        public String encode() {
            return (lastUserEvent == null ? "-" : lastUserEvent.toString()) + "."
                    + (lastBroadcast == null ? "-" : lastBroadcast.toString());
        }

        /** Parses a Last-Event-ID; anything unreadable resumes from the start of the window. */
        public static Cursor decode(@Nullable String lastEventId) {
            if (lastEventId == null || lastEventId.isBlank()) {
                return START;
            }
            String[] parts = lastEventId.trim().split("\\.", -1);
            try {
                if (parts.length == 2) {
                    return new Cursor(uuid(parts[0]), uuid(parts[1]));
                }
            } catch (IllegalArgumentException ignored) {
                // fall through
            }
            return START;
        }

        private static @Nullable UUID uuid(String text) {
            return text.equals("-") ? null : UUID.fromString(text);
        }
    }

    /** A listener of one user's live events (a stream). */
    public interface Listener {
        void onEvent(EventEnvelope<EventPayload> event);
    }

    private static final Listener[] NONE = new Listener[0];

    /**
     * One user's kept events and live listeners, guarded by itself. Removed from the map once it holds
     * neither; {@code dropped} tells a thread that found it just before that to look again.
     */
    private static final class Entry {
        @Nullable
        ArrayDeque<EventEnvelope<EventPayload>> events;
        /** Replaced, never changed in place: a listener may end its stream (and unsubscribe) while called. */
        Listener[] listeners = NONE;

        boolean dropped;

        boolean idle() {
            return (events == null || events.isEmpty()) && listeners.length == 0;
        }
    }

    private final Duration window;
    private final int maxPerUser;
    private final Clock clock;
    private final Map<String, Entry> users = new ConcurrentHashMap<>();
    private final Deque<EventEnvelope<EventPayload>> broadcasts = new ArrayDeque<>();
    /** Every stream's listener, for broadcasts; a concurrent set, as a copy-on-write list would copy it per connect. */
    private final Set<Listener> everyone = ConcurrentHashMap.newKeySet();
    /** Listeners of every user's events (operators' {@code all=true} subscriptions); no replay. */
    private final List<Listener> firehose = new CopyOnWriteArrayList<>();
    /**
     * Completed once the feed has replayed the window from Kafka. Until then a Last-Event-ID may be missing from
     * the history only because it is not read yet, and a resume would repeat what the client already has.
     */
    private final CompletableFuture<Void> replayed = new CompletableFuture<>();

    public History(Duration window, int maxPerUser) {
        this(window, maxPerUser, Clock.systemUTC());
    }

    public History(Duration window, int maxPerUser, Clock clock) {
        this.window = window;
        this.maxPerUser = maxPerUser;
        this.clock = clock;
    }

    /** The feed has replayed the window: resumes from now on find every event of the window. */
    public void markReplayed() {
        replayed.complete(null);
    }

    /** Completes when the window is replayed; a copy, so a caller that gives up cancels nothing shared. */
    public CompletableFuture<Void> whenReplayed() {
        return replayed.copy();
    }

    /** Runs {@code action} on the user's entry under its lock, creating it if need be; drops it if left idle. */
    private <T> T withEntry(String user, Function<Entry, T> action) {
        while (true) {
            Entry entry = users.computeIfAbsent(user, u -> new Entry());
            synchronized (entry) {
                if (entry.dropped) {
                    continue;
                }
                try {
                    return action.apply(entry);
                } finally {
                    dropIfIdle(user, entry);
                }
            }
        }
    }

    private void dropIfIdle(String user, Entry entry) {
        if (!entry.dropped && entry.idle()) {
            entry.dropped = true;
            users.remove(user, entry);
        }
    }

    /**
     * Records an event and hands it to the live listeners it concerns; returns how many received it. A user
     * event already kept (the same event id published again: an outbox relay that resent after a broker
     * restart, a record read twice) is dropped, so no stream sees it twice. Broadcasts are not checked: their
     * history is bounded by time only, and a scan of it per broadcast would cost the fan-out path its rate.
     */
    public int append(EventEnvelope<EventPayload> event) {
        if (event.payload() instanceof BroadcastEvent) {
            synchronized (broadcasts) {
                broadcasts.addLast(event);
                trim(broadcasts, Integer.MAX_VALUE, horizon());
                everyone.forEach(listener -> listener.onEvent(event));
                return everyone.size();
            }
        }
        return withEntry(event.key(), entry -> {
            ArrayDeque<EventEnvelope<EventPayload>> events = entry.events;
            if (events == null) {
                events = entry.events = new ArrayDeque<>(4);
            } else if (keeps(events, event)) {
                return 0;
            }
            events.addLast(event);
            trim(events, maxPerUser, horizon());
            Listener[] live = entry.listeners;
            for (Listener listener : live) {
                listener.onEvent(event);
            }
            firehose.forEach(listener -> listener.onEvent(event));
            return live.length;
        });
    }

    /**
     * Whether a user's kept events (at most {@code maxPerUser}) hold one with {@code event}'s id; a republished
     * event comes soon, so from the newest.
     */
    private static boolean keeps(Deque<EventEnvelope<EventPayload>> kept, EventEnvelope<EventPayload> event) {
        for (var it = kept.descendingIterator(); it.hasNext(); ) {
            if (it.next().eventId().equals(event.eventId())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Registers a user's listener and replays, through {@code replay}, what came after the cursor within the
     * window — atomically with respect to appends of that user. Broadcast replay is ordered before user
     * replay. With {@link Cursor#START} it replays the user's kept events but no broadcasts: the streams of
     * one process (an upgrade, a claim) start from its current state.
     */
    public void subscribe(String user, Cursor cursor, Listener listener, Consumer<EventEnvelope<EventPayload>> replay) {
        synchronized (broadcasts) {
            Instant horizon = horizon();
            withEntry(user, entry -> {
                if (cursor != Cursor.START) {
                    trim(broadcasts, Integer.MAX_VALUE, horizon);
                    after(broadcasts, cursor.lastBroadcast()).forEach(replay);
                }
                if (entry.events != null) {
                    trim(entry.events, maxPerUser, horizon);
                }
                after(entry.events, cursor.lastUserEvent()).forEach(replay);
                add(entry, listener);
                return null;
            });
        }
    }

    /**
     * Registers a user's listener from now on, replaying nothing: a stream opened without Last-Event-ID.
     * {@code start} receives, before any live event, the cursor of this moment (the user's last kept event
     * and the last broadcast): a stream that breaks before its first event resumes from there and misses
     * nothing, while what came before it is never replayed to it.
     */
    public void subscribeFromNow(String user, Listener listener, Consumer<Cursor> start) {
        synchronized (broadcasts) {
            Instant horizon = horizon();
            trim(broadcasts, Integer.MAX_VALUE, horizon);
            withEntry(user, entry -> {
                ArrayDeque<EventEnvelope<EventPayload>> events = entry.events;
                if (events != null) {
                    trim(events, maxPerUser, horizon);
                }
                EventEnvelope<EventPayload> lastEvent = events == null ? null : events.peekLast();
                EventEnvelope<EventPayload> lastBroadcast = broadcasts.peekLast();
                start.accept(new Cursor(
                        lastEvent == null ? null : lastEvent.eventId(),
                        lastBroadcast == null ? null : lastBroadcast.eventId()));
                add(entry, listener);
                return null;
            });
        }
    }

    private void add(Entry entry, Listener listener) {
        Listener[] live = Arrays.copyOf(entry.listeners, entry.listeners.length + 1);
        live[live.length - 1] = listener;
        entry.listeners = live;
        everyone.add(listener);
    }

    /** Every user's events and broadcasts from now on (no replay: a firehose has no single cursor). */
    public void subscribeAll(Listener listener) {
        firehose.add(listener);
        everyone.add(listener);
    }

    public void unsubscribeAll(Listener listener) {
        firehose.remove(listener);
        everyone.remove(listener);
    }

    public void unsubscribe(String user, Listener listener) {
        everyone.remove(listener);
        Entry entry = users.get(user);
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            if (entry.dropped) {
                return;
            }
            Listener[] live = entry.listeners;
            for (int i = 0; i < live.length; i++) {
                if (live[i] == listener) {
                    Listener[] rest = new Listener[live.length - 1];
                    System.arraycopy(live, 0, rest, 0, i);
                    System.arraycopy(live, i + 1, rest, i, live.length - i - 1);
                    entry.listeners = rest.length == 0 ? NONE : rest;
                    break;
                }
            }
            dropIfIdle(user, entry);
        }
    }

    /**
     * Whether a stream resuming from {@code cursor} has events this history has not read yet: its last user event
     * (or last broadcast) is within the window and no older than the user's oldest kept event, yet not kept here.
     * Another instance, whose feed was ahead of this one's, sent it; resumed now, the stream would find no place
     * to resume from and be sent the whole window again. Event ids are UUIDv7, so the cursor says when its events
     * were created.
     */
    public boolean behind(String user, Cursor cursor) {
        Instant horizon = horizon();
        UUID broadcast = cursor.lastBroadcast();
        if (broadcast != null) {
            synchronized (broadcasts) {
                if (unread(broadcasts, broadcast, horizon)) {
                    return true;
                }
            }
        }
        UUID last = cursor.lastUserEvent();
        if (last == null) {
            return false;
        }
        Entry entry = users.get(user);
        if (entry == null) {
            return unread(null, last, horizon);
        }
        synchronized (entry) {
            return unread(entry.dropped ? null : entry.events, last, horizon);
        }
    }

    /** Whether {@code id}, created within the window and not before the oldest of {@code kept}, is not in it. */
    private static boolean unread(@Nullable Deque<EventEnvelope<EventPayload>> kept, UUID id, Instant horizon) {
        if (id.version() != 7) {
            return false;
        }
        long created = EventIds.timestampOf(id);
        if (created < horizon.toEpochMilli()) {
            // aged out of the window: everything kept is newer
            return false;
        }
        if (kept == null || kept.isEmpty()) {
            return true;
        }
        if (created < kept.peekFirst().occurredAt().toEpochMilli()) {
            // trimmed to the user's maximum: everything kept is newer
            return false;
        }
        for (var it = kept.descendingIterator(); it.hasNext(); ) {
            if (it.next().eventId().equals(id)) {
                return false;
            }
        }
        return true;
    }

    /** A user's kept events within the window, oldest first. */
    public List<EventEnvelope<EventPayload>> of(String user) {
        Entry entry = users.get(user);
        if (entry == null) {
            return List.of();
        }
        synchronized (entry) {
            if (entry.dropped || entry.events == null) {
                return List.of();
            }
            trim(entry.events, maxPerUser, horizon());
            List<EventEnvelope<EventPayload>> kept = List.copyOf(entry.events);
            dropIfIdle(user, entry);
            return kept;
        }
    }

    /** Whether this history holds anything for the user: kept events or an open stream. */
    public boolean holds(String user) {
        return users.containsKey(user);
    }

    /** How many users this history holds something for (kept events or open streams). */
    public int users() {
        return users.size();
    }

    /**
     * Drops what has aged out of the window: broadcasts, users' events, and users left with neither events
     * nor open streams. Returns how many users were dropped.
     */
    public int sweep() {
        Instant horizon = horizon();
        synchronized (broadcasts) {
            trim(broadcasts, Integer.MAX_VALUE, horizon);
        }
        int dropped = 0;
        for (Map.Entry<String, Entry> each : users.entrySet()) {
            Entry entry = each.getValue();
            synchronized (entry) {
                if (entry.dropped) {
                    continue;
                }
                if (entry.events != null) {
                    trim(entry.events, maxPerUser, horizon);
                    if (entry.events.isEmpty()) {
                        // An emptied deque keeps its grown array: let it go with the events.
                        entry.events = null;
                    }
                }
                dropIfIdle(each.getKey(), entry);
                if (entry.dropped) {
                    dropped++;
                }
            }
        }
        return dropped;
    }

    private Instant horizon() {
        return clock.instant().minus(window);
    }

    private static List<EventEnvelope<EventPayload>> after(
            @Nullable Deque<EventEnvelope<EventPayload>> events, @Nullable UUID last) {
        if (events == null || events.isEmpty()) {
            return List.of();
        }
        List<EventEnvelope<EventPayload>> all = new ArrayList<>(events);
        if (last == null) {
            return all;
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).eventId().equals(last)) {
                return all.subList(i + 1, all.size());
            }
        }
        // The last event is older than the window: everything kept is newer than it.
        return all;
    }

    private static void trim(Deque<EventEnvelope<EventPayload>> events, int max, Instant horizon) {
        while (!events.isEmpty()
                && (events.size() > max || events.peekFirst().occurredAt().isBefore(horizon))) {
            events.removeFirst();
        }
    }
}
