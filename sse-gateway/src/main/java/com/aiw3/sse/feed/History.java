package com.aiw3.sse.feed;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.realtime.BroadcastEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The recent events of each user and of broadcasts, in Kafka order, within the history window. Appends
 * and subscriptions of one user are serialised on that user's lock, so a new stream gets exactly the
 * history it missed and then every live event: no gap, no duplicate.
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

    private final Duration window;
    private final int maxPerUser;
    private final Map<String, Deque<EventEnvelope<EventPayload>>> byUser = new ConcurrentHashMap<>();
    private final Deque<EventEnvelope<EventPayload>> broadcasts = new ArrayDeque<>();
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    /** Every stream's listener, for broadcasts; a concurrent set, as a copy-on-write list would copy it per connect. */
    private final java.util.Set<Listener> everyone = ConcurrentHashMap.newKeySet();
    /** Listeners of every user's events (operators' {@code all=true} subscriptions); no replay. */
    private final List<Listener> firehose = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * Completed once the feed has replayed the window from Kafka. Until then a Last-Event-ID may be missing from
     * the history only because it is not read yet, and a resume would repeat what the client already has.
     */
    private final CompletableFuture<Void> replayed = new CompletableFuture<>();

    public History(Duration window, int maxPerUser) {
        this.window = window;
        this.maxPerUser = maxPerUser;
    }

    /** The feed has replayed the window: resumes from now on find every event of the window. */
    public void markReplayed() {
        replayed.complete(null);
    }

    /** Completes when the window is replayed; a copy, so a caller that gives up cancels nothing shared. */
    public CompletableFuture<Void> whenReplayed() {
        return replayed.copy();
    }

    private Object lockOf(String user) {
        return byUser.computeIfAbsent(user, u -> new ArrayDeque<>());
    }

    /** Records an event and hands it to the live listeners it concerns; returns how many received it. */
    public int append(EventEnvelope<EventPayload> event) {
        if (event.payload() instanceof BroadcastEvent) {
            synchronized (broadcasts) {
                broadcasts.addLast(event);
                trim(broadcasts, Integer.MAX_VALUE);
                everyone.forEach(listener -> listener.onEvent(event));
                return everyone.size();
            }
        }
        Deque<EventEnvelope<EventPayload>> events = byUser.computeIfAbsent(event.key(), u -> new ArrayDeque<>());
        synchronized (events) {
            events.addLast(event);
            trim(events, maxPerUser);
            List<Listener> live = listeners.getOrDefault(event.key(), List.of());
            live.forEach(listener -> listener.onEvent(event));
            firehose.forEach(listener -> listener.onEvent(event));
            return live.size();
        }
    }

    /**
     * Registers a user's listener and replays, through {@code replay}, what came after the cursor —
     * atomically with respect to appends of that user. Broadcast replay is ordered before user replay.
     * A fresh stream ({@link Cursor#START}, no Last-Event-ID) gets the user's kept events but broadcasts only
     * from now: earlier ones were for whoever was online then, and replaying the window's broadcasts to
     * every new connection would make each connect cost as much as all of them.
     */
    public void subscribe(String user, Cursor cursor, Listener listener, Consumer<EventEnvelope<EventPayload>> replay) {
        synchronized (broadcasts) {
            Object lock = lockOf(user);
            synchronized (lock) {
                if (cursor != Cursor.START) {
                    after(broadcasts, cursor.lastBroadcast()).forEach(replay);
                }
                after(byUser.get(user), cursor.lastUserEvent()).forEach(replay);
                listeners
                        .computeIfAbsent(user, u -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(listener);
                everyone.add(listener);
            }
        }
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
        synchronized (lockOf(user)) {
            List<Listener> live = listeners.get(user);
            if (live != null) {
                live.remove(listener);
                if (live.isEmpty()) {
                    listeners.remove(user);
                }
            }
        }
    }

    /** A user's kept events, oldest first. */
    public List<EventEnvelope<EventPayload>> of(String user) {
        Deque<EventEnvelope<EventPayload>> events = byUser.get(user);
        if (events == null) {
            return List.of();
        }
        synchronized (events) {
            return List.copyOf(events);
        }
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

    private void trim(Deque<EventEnvelope<EventPayload>> events, int max) {
        Instant horizon = Instant.now().minus(window);
        while (!events.isEmpty()
                && (events.size() > max || events.peekFirst().occurredAt().isBefore(horizon))) {
            events.removeFirst();
        }
    }
}
