package com.aiw3.sse.stream;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.catalog.EventCatalog;
import com.aiw3.events.presence.PresenceEvent;
import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.events.session.SessionEvent;
import com.aiw3.messaging.kafka.KafkaEventPublisher;
import com.aiw3.sse.SseProperties;
import com.aiw3.sse.feed.History;
import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The open streams of this instance, their limits, and the presence they imply. Live events arrive on the
 * Kafka feed's thread, replays on the subscribing request's, heartbeats on a ticker's.
 */
@Component
class Streams {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Streams.class);

    private final History history;
    private final SseProperties properties;
    private final KafkaEventPublisher publisher;
    private final ClusterStreams cluster;
    private final Map<String, Deque<Stream>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final StreamStatistics statistics;
    private final Counter resumed;
    private final Counter overflows;
    private final Counter evicted;
    private final Counter delivered;
    private final Disposable heartbeats;
    private final Disposable lifetimes;
    private final Counter parted;
    private final Counter sessionExpired;
    private final Counter loggedOut;
    /** Set when the instance starts draining: new streams are refused so they go to another instance. */
    private volatile boolean draining;

    private final QueuedDeliveries queued;
    /** This instance's id as a JSON string, for every stream's greeting. */
    private final String instanceJson;
    /**
     * Recent events' encoded data lines, so an event is encoded once for all its streams although the
     * event loops deliver different events at the same moment (a stream that fell behind takes a batch).
     */
    private final Map<UUID, ByteBuf> encodedByEvent = new ConcurrentHashMap<>();

    private final Queue<UUID> encodedOrder = new ConcurrentLinkedQueue<>();
    private final AtomicInteger encodedCount = new AtomicInteger();
    private static final int ENCODED_KEPT = 4_096;
    private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

    Streams(
            History history,
            SseProperties properties,
            KafkaEventPublisher publisher,
            QueuedDeliveries queued,
            ClusterStreams cluster,
            StreamStatistics statistics,
            MeterRegistry meters) {
        this.cluster = cluster;
        this.statistics = statistics;
        this.history = history;
        this.queued = queued;
        this.properties = properties;
        this.publisher = publisher;
        this.instanceJson = ClientEvents.instanceJson(properties.instanceId());
        Gauge.builder("aiw3.sse.streams.active", total, AtomicInteger::get).register(meters);
        Gauge.builder("aiw3.sse.users.online", byUser, Map::size).register(meters);
        this.resumed = meters.counter("aiw3.sse.streams.resumed");
        this.overflows = meters.counter("aiw3.sse.streams.overflows");
        this.evicted = meters.counter("aiw3.sse.streams.evicted");
        this.delivered = meters.counter("aiw3.sse.events.delivered");
        // One ticker for every stream rather than a timer per stream: 100k streams need no 100k timers.
        this.heartbeats = Flux.interval(properties.heartbeat()).subscribe(tick -> heartbeat());
        this.parted = meters.counter("aiw3.sse.streams.parted");
        this.sessionExpired = meters.counter("aiw3.sse.streams.session.ended", "reason", ClientEvents.SESSION_EXPIRED);
        this.loggedOut = meters.counter("aiw3.sse.streams.session.ended", "reason", ClientEvents.LOGGED_OUT);
        // Lifetimes are checked on one ticker too; a stream ends at most a tick after its time.
        this.lifetimes = Flux.interval(LIFETIME_TICK).subscribe(tick -> endExpired());
    }

    private static final Duration LIFETIME_TICK = Duration.ofSeconds(1);

    @PreDestroy
    void stopHeartbeats() {
        heartbeats.dispose();
        lifetimes.dispose();
    }

    /**
     * A stream's lifetime: {@code max} less a uniformly random part of {@code jitter}, so streams opened
     * together (after a deploy, say) reconnect spread over the jitter rather than in one wave.
     */
    static Duration lifetime(Duration max, Duration jitter, RandomGenerator random) {
        long spread = Math.min(jitter.toNanos(), max.toNanos());
        return spread <= 0 ? max : max.minusNanos(random.nextLong(spread + 1));
    }

    int active() {
        return total.get();
    }

    int users() {
        return byUser.size();
    }

    /** How a stream attaches to the history: which events it listens to, and what it replays first. */
    interface Registration {
        /**
         * Greets the stream through {@code greet} (with the cursor it starts from when that is not the one it
         * was opened with, else {@code null}), replays, then attaches {@code live}.
         */
        void register(
                History.Listener live,
                Consumer<History.@Nullable Cursor> greet,
                Consumer<EventEnvelope<EventPayload>> replay);

        void unregister(History.Listener live);
    }

    /** One user's events and broadcasts, replayed after the cursor: the resumable user stream. */
    Registration ofUser(String user, History.Cursor from) {
        return new Registration() {
            @Override
            public void register(
                    History.Listener live,
                    Consumer<History.@Nullable Cursor> greet,
                    Consumer<EventEnvelope<EventPayload>> replay) {
                greet.accept(null);
                history.subscribe(user, from, live, replay);
            }

            @Override
            public void unregister(History.Listener live) {
                history.unsubscribe(user, live);
            }
        };
    }

    /**
     * One user's events and broadcasts from the moment it attaches, nothing earlier: the user stream opened
     * without Last-Event-ID. Its greeting carries the cursor of that moment as its id, so a client that
     * breaks before its first event resumes from there.
     */
    Registration ofUserFromNow(String user) {
        return new Registration() {
            @Override
            public void register(
                    History.Listener live,
                    Consumer<History.@Nullable Cursor> greet,
                    Consumer<EventEnvelope<EventPayload>> replay) {
                history.subscribeFromNow(user, live, greet::accept);
            }

            @Override
            public void unregister(History.Listener live) {
                history.unsubscribe(user, live);
            }
        };
    }

    /** Several users' events and broadcasts from now on (filtered subscriptions: no replay). */
    Registration ofUsers(Set<String> users) {
        return new Registration() {
            @Override
            public void register(
                    History.Listener live,
                    Consumer<History.@Nullable Cursor> greet,
                    Consumer<EventEnvelope<EventPayload>> replay) {
                greet.accept(null);
                users.forEach(user -> history.subscribe(user, History.Cursor.START, live, skipped -> {}));
            }

            @Override
            public void unregister(History.Listener live) {
                users.forEach(user -> history.unsubscribe(user, live));
            }
        };
    }

    /** Every user's events and broadcasts from now on (operators only). */
    Registration ofEveryone() {
        return new Registration() {
            @Override
            public void register(
                    History.Listener live,
                    Consumer<History.@Nullable Cursor> greet,
                    Consumer<EventEnvelope<EventPayload>> replay) {
                greet.accept(null);
                history.subscribeAll(live);
            }

            @Override
            public void unregister(History.Listener live) {
                history.unsubscribeAll(live);
            }
        };
    }

    /**
     * What a stream carries: it counts toward its caller's limits and presence, ends with the caller's
     * sign-in (at the token's expiry, or when the session is revoked), starts after {@code from}, follows
     * what {@code registration} attaches it to, lets through what passes {@code include}, and ends after an
     * event matching {@code endsAfter}.
     */
    record Subscription(
            Caller caller,
            History.Cursor from,
            Registration registration,
            Predicate<EventEnvelope<EventPayload>> include,
            Predicate<EventEnvelope<EventPayload>> endsAfter) {

        String user() {
            return caller.userId();
        }
    }

    /** Opens a stream for a WebFlux response: its frames as a publisher. */
    Flux<DataBuffer> open(@Nullable Connection connection, Subscription subscription) {
        admit();
        forgoUpgrade(connection);
        Stream.FluxStream stream = new Stream.FluxStream(subscription.from(), connection);
        Runnable detach = attach(stream, subscription);
        return stream.sink
                .asFlux()
                .doOnNext(frame -> stream.pending.decrementAndGet())
                // Frames become bytes here, on the connection's event loop, not on the feed's single thread.
                .map(frame -> (DataBuffer) BUFFERS.wrap(frame.bytes()))
                .doFinally(signal -> detach.run());
    }

    /**
     * The same for a Reactor Netty route: sends the response's head, then writes the stream's frames to
     * the connection itself; completes when the stream ends. Refuses at once (429) when a limit is reached.
     */
    Publisher<Void> serve(HttpServerResponse response, Subscription subscription) {
        admit();
        AtomicBoolean attached = new AtomicBoolean();
        // A stream that arrives while a just-started instance still replays the window (before it is ready,
        // or straight after a crash) waits for the replay, so its Last-Event-ID is found and nothing repeats.
        Mono<Void> replayed = Mono.fromFuture(history.whenReplayed())
                .timeout(
                        properties.replayWait(),
                        Mono.error(() -> Problems.serviceUnavailable(
                                "this instance is still reading the recent events; reconnect shortly",
                                properties.retry())))
                .then(caughtUp(subscription));
        // text/event-stream and no-cache only: connection-specific headers are forbidden in HTTP/2.
        return replayed.then(Mono.from(response.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                        .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                        .sendHeaders()
                        // Frames go out only after the head, which Reactor Netty writes when subscribed.
                        .then(Mono.defer(() -> {
                            attached.set(true);
                            forgoUpgrade((Connection) response);
                            Stream.ChannelStream stream =
                                    new Stream.ChannelStream(subscription.from(), (Connection) response);
                            Runnable detach = attach(stream, subscription);
                            stream.flush();
                            return stream.ended.asMono().doFinally(signal -> detach.run());
                        }))))
                .doFinally(signal -> {
                    if (attached.compareAndSet(false, true)) {
                        total.decrementAndGet();
                    }
                });
    }

    /**
     * Completes once this instance has read the events a resuming stream already received. A stream that moves
     * here from another instance (drained, restarted, or its connection lost) may have got events that this
     * instance's feed has not reached yet; resumed before, it would find no place to resume from and be sent the
     * whole window again. Waits at most {@code replay-wait}, then resumes from what is kept.
     */
    private Mono<Void> caughtUp(Subscription subscription) {
        History.Cursor from = subscription.from();
        if (from == History.Cursor.START || !history.behind(subscription.user(), from)) {
            return Mono.empty();
        }
        return Flux.interval(CATCH_UP_POLL)
                .filter(tick -> !history.behind(subscription.user(), from))
                .next()
                .then()
                .timeout(properties.replayWait(), Mono.empty());
    }

    private static final Duration CATCH_UP_POLL = Duration.ofMillis(20);

    /** Takes a place among this instance's streams, or refuses with 429 (full) or 503 (draining). */
    private void admit() {
        if (draining) {
            throw Problems.serviceUnavailable("this instance is shutting down; reconnect shortly", properties.retry());
        }
        if (total.incrementAndGet() > properties.maxStreams()) {
            total.decrementAndGet();
            throw Problems.of(
                    HttpStatus.TOO_MANY_REQUESTS, "this instance holds its maximum of streams; reconnect shortly");
        }
    }

    /**
     * Counts an admitted stream toward its user's limit and presence, greets it and attaches it to the
     * history (replaying first). Returns what undoes all that when the stream ends.
     */
    private Runnable attach(Stream stream, Subscription subscription) {
        String user = subscription.user();
        Registration registration = subscription.registration();
        Predicate<EventEnvelope<EventPayload>> include = subscription.include();
        Predicate<EventEnvelope<EventPayload>> endsAfter = subscription.endsAfter();
        if (stream.cursor.get() != History.Cursor.START) {
            resumed.increment();
        }
        stream.endAt(System.nanoTime()
                + lifetime(properties.maxLifetime(), properties.lifetimeJitter(), ThreadLocalRandom.current())
                        .toNanos());
        stream.bindSession(
                subscription.caller().sessionId(),
                nanoTimeAt(subscription.caller().expiresAt()));
        Deque<Stream> mine = byUser.computeIfAbsent(user, u -> new ConcurrentLinkedDeque<>());
        boolean first = mine.isEmpty();
        mine.addLast(stream);
        // The limit on this instance at once; across instances through Redis (ClusterStreams), which also
        // holds it here and is the only one that holds it when the user's streams are on several instances.
        while (mine.size() > properties.maxStreamsPerUser()) {
            Stream oldest = mine.pollFirst();
            if (oldest != null) {
                evict(oldest);
            }
        }
        String member = cluster.opened(user, () -> evict(stream));
        if (first) {
            publisher.send(EventEnvelope.of(
                    new PresenceEvent.UserCameOnline(user, properties.instanceId(), mine.size(), Instant.now()),
                    "sse-gateway"));
        }
        statistics.opened();
        long openedAt = System.nanoTime();
        Consumer<EventEnvelope<EventPayload>> deliver = event -> push(stream, event, include, endsAfter, true);
        History.Listener live = stream.inbox == null ? deliver::accept : stream.queueing(deliver, queued);
        registration.register(
                live,
                start -> {
                    if (start != null) {
                        stream.cursor.set(start);
                    }
                    stream.emit(new Frames.Greeting(
                            properties.retry(), ClientEvents.connectionEstablished(instanceJson), start));
                },
                event -> push(stream, event, include, endsAfter, false));
        return () -> {
            registration.unregister(live);
            cluster.closed(user, member);
            mine.remove(stream);
            total.decrementAndGet();
            statistics.ended(stream.outcome(), openedAt);
            if (mine.isEmpty() && byUser.remove(user, mine)) {
                publisher.send(EventEnvelope.of(
                        new PresenceEvent.UserWentOffline(user, properties.instanceId(), Instant.now()),
                        "sse-gateway"));
            }
        };
    }

    /**
     * Lets go of the HTTP/2 codec Reactor Netty builds in advance for every cleartext HTTP/1.1 connection in
     * case it asks for {@code Upgrade: h2c}: its HPACK tables, flow controllers and stream maps are about 3 KB
     * of an idle stream's heap (class histogram at 10,000 streams). A connection busy with a stream will not
     * upgrade, and RFC 9113 deprecates that upgrade anyway; h2c with prior knowledge is settled by a
     * connection's first bytes, before this, and HTTP/2 streams have no such handler.
     */
    private static void forgoUpgrade(@Nullable Connection connection) {
        if (connection != null) {
            ChannelPipeline pipeline = connection.channel().pipeline();
            ChannelHandler upgrade = pipeline.get(HttpServerUpgradeHandler.class);
            if (upgrade != null) {
                pipeline.remove(upgrade);
            }
        }
    }

    /** The {@link System#nanoTime()} of a wall-clock instant, at most a year ahead. */
    private static long nanoTimeAt(Instant at) {
        Duration until = Duration.between(Instant.now(), at);
        if (until.compareTo(Duration.ofDays(365)) > 0) {
            until = Duration.ofDays(365);
        }
        return System.nanoTime() + until.toNanos();
    }

    private void push(
            Stream stream,
            EventEnvelope<EventPayload> event,
            Predicate<EventEnvelope<EventPayload>> include,
            Predicate<EventEnvelope<EventPayload>> endsAfter,
            boolean live) {
        if (event.payload() instanceof SessionEvent.SessionRevoked revoked) {
            // The user's events reach every stream of the user; only those of the signed-out session end. A
            // revocation replayed to a resuming stream of that session ends it too.
            if (stream.ofSession(revoked.sessionId())) {
                endSession(stream, ClientEvents.LOGGED_OUT);
            }
            return;
        }
        History.Cursor cursor = stream.cursor.updateAndGet(c -> event.payload() instanceof BroadcastEvent
                ? new History.Cursor(c.lastUserEvent(), event.eventId())
                : new History.Cursor(event.eventId(), c.lastBroadcast()));
        if (!EventCatalog.reachesClients(event.payload()) || !include.test(event)) {
            return;
        }
        if (live && stream.fellBehind(properties.bufferPerStream())) {
            // A slow client must not hold memory or delay others: it is disconnected and resumes
            // from history with its Last-Event-ID, losing nothing within the window.
            overflows.increment();
            stream.endAs(StreamStatistics.Outcome.OVERFLOWED);
            stream.cut();
            return;
        }
        stream.emit(new Frames.Event(cursor, encoded(event)));
        delivered.increment();
        if (endsAfter.test(event)) {
            stream.endAs(StreamStatistics.Outcome.COMPLETED);
            stream.end();
        }
    }

    private ByteBuf encoded(EventEnvelope<EventPayload> event) {
        ByteBuf cached = encodedByEvent.get(event.eventId());
        if (cached != null) {
            return cached;
        }
        ByteBuf data = encodedByEvent.computeIfAbsent(event.eventId(), id -> {
            encodedOrder.add(id);
            encodedCount.incrementAndGet();
            return Frames.data(ClientEvents.data(event));
        });
        // The oldest go first; one evicted too early is only encoded again.
        while (encodedCount.get() > ENCODED_KEPT) {
            UUID oldest = encodedOrder.poll();
            if (oldest == null) {
                break;
            }
            encodedByEvent.remove(oldest);
            encodedCount.decrementAndGet();
        }
        return data;
    }

    /** A comment to every stream with nothing queued, so intermediaries do not idle it out. */
    private void heartbeat() {
        try {
            byUser.values()
                    .forEach(streams -> streams.forEach(s -> {
                        if (s.idle()) {
                            s.emit(Frames.Heartbeat.INSTANCE);
                        }
                    }));
        } catch (RuntimeException e) {
            // The ticker must outlive any one failure, or every stream would lose its heartbeats.
            log.warn("heartbeat round failed", e);
        }
    }

    /** Ends the streams past their lifetime, each with its {@code reconnect} event. */
    private void endExpired() {
        try {
            long now = System.nanoTime();
            byUser.values()
                    .forEach(streams -> streams.forEach(s -> {
                        if (s.sessionExpired(now)) {
                            endSession(s, ClientEvents.SESSION_EXPIRED);
                        } else if (s.expired(now)) {
                            part(s, StreamStatistics.Outcome.MAX_LIFETIME, "max_lifetime");
                        }
                    }));
        } catch (RuntimeException e) {
            // The ticker must outlive any one failure, or streams would outlive their lifetime.
            log.warn("lifetime round failed", e);
        }
    }

    /**
     * Ends a stream on purpose: a {@code reconnect} event with the {@code retry:} hint, then the end of the
     * response after what was queued. The client resumes with its Last-Event-ID and loses nothing.
     */
    private void part(Stream stream, StreamStatistics.Outcome outcome, String reason) {
        if (stream.endAs(outcome)) {
            parted.increment();
            stream.emit(new Frames.Parting(properties.retry(), ClientEvents.reconnect(reason)));
            stream.end();
        }
    }

    /**
     * Ends a stream that newer streams of its user took past {@code max-streams-per-user} (on any instance): a last
     * {@code stream_evicted} event with no {@code id:}, then the end of the response. The client should not
     * reconnect it: that would evict the user's next oldest stream.
     */
    private void evict(Stream stream) {
        if (stream.endAs(StreamStatistics.Outcome.EVICTED)) {
            evicted.increment();
            stream.emit(new Frames.Parting(properties.retry(), ClientEvents.evicted(properties.maxStreamsPerUser())));
            stream.end();
        }
    }

    /**
     * Ends a stream with its sign-in: a last event saying why ({@code session_expired} or {@code logged_out})
     * with the {@code retry:} hint and no {@code id:}, so the client's Last-Event-ID stays its last real event.
     * After a refresh the client resumes from there; a signed-out session's token is refused by api-gateway.
     */
    private void endSession(Stream stream, String reason) {
        boolean expired = ClientEvents.SESSION_EXPIRED.equals(reason);
        if (stream.endAs(expired ? StreamStatistics.Outcome.SESSION_EXPIRED : StreamStatistics.Outcome.LOGGED_OUT)) {
            (expired ? sessionExpired : loggedOut).increment();
            stream.emit(new Frames.Parting(properties.retry(), ClientEvents.sessionEnded(reason)));
            stream.end();
        }
    }

    /**
     * Graceful drain: new streams are refused (503) and the open ones are ended in random order, evenly over
     * {@code window}, each with its {@code reconnect} event, so their clients come back to the other
     * instances spread out rather than all at once. Returns when every stream has been ended.
     */
    void drain(Duration window) {
        draining = true;
        List<Stream> open = new ArrayList<>();
        byUser.values().forEach(open::addAll);
        Collections.shuffle(open);
        long start = System.nanoTime();
        long span = window.toNanos();
        int count = open.size();
        for (int i = 0; i < count; i++) {
            long due = start + (count == 1 ? 0 : span * i / count);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            part(open.get(i), StreamStatistics.Outcome.DRAINED, "draining");
        }
        // A stream admitted just before the drain began and attached after the list was taken.
        byUser.values().forEach(streams -> streams.forEach(s -> part(s, StreamStatistics.Outcome.DRAINED, "draining")));
    }
}
