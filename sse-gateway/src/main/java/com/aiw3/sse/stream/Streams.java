package com.aiw3.sse.stream;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.catalog.EventCatalog;
import com.aiw3.events.presence.PresenceEvent;
import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.messaging.kafka.KafkaEventPublisher;
import com.aiw3.sse.SseProperties;
import com.aiw3.sse.feed.History;
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
import java.time.Instant;
import java.util.Deque;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
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
    private final Map<String, Deque<Stream>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final Counter opened;
    private final Counter closed;
    private final Counter resumed;
    private final Counter overflows;
    private final Counter evicted;
    private final Counter delivered;
    private final Disposable heartbeats;
    private final QueuedDeliveries queued;
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
            MeterRegistry meters) {
        this.history = history;
        this.queued = queued;
        this.properties = properties;
        this.publisher = publisher;
        Gauge.builder("aiw3.sse.streams.active", total, AtomicInteger::get).register(meters);
        Gauge.builder("aiw3.sse.users.online", byUser, Map::size).register(meters);
        this.opened = meters.counter("aiw3.sse.streams.opened");
        this.closed = meters.counter("aiw3.sse.streams.closed");
        this.resumed = meters.counter("aiw3.sse.streams.resumed");
        this.overflows = meters.counter("aiw3.sse.streams.overflows");
        this.evicted = meters.counter("aiw3.sse.streams.evicted");
        this.delivered = meters.counter("aiw3.sse.events.delivered");
        // One ticker for every stream rather than a timer per stream: 100k streams need no 100k timers.
        this.heartbeats = Flux.interval(properties.heartbeat()).subscribe(tick -> heartbeat());
    }

    @PreDestroy
    void stopHeartbeats() {
        heartbeats.dispose();
    }

    int active() {
        return total.get();
    }

    int users() {
        return byUser.size();
    }

    /** How a stream attaches to the history: which events it listens to, and what it replays first. */
    interface Registration {
        void register(History.Listener live, Consumer<EventEnvelope<EventPayload>> replay);

        void unregister(History.Listener live);
    }

    /** One user's events and broadcasts, replayed after the cursor: the resumable user stream. */
    Registration ofUser(String user, History.Cursor from) {
        return new Registration() {
            @Override
            public void register(History.Listener live, Consumer<EventEnvelope<EventPayload>> replay) {
                history.subscribe(user, from, live, replay);
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
            public void register(History.Listener live, Consumer<EventEnvelope<EventPayload>> replay) {
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
            public void register(History.Listener live, Consumer<EventEnvelope<EventPayload>> replay) {
                history.subscribeAll(live);
            }

            @Override
            public void unregister(History.Listener live) {
                history.unsubscribeAll(live);
            }
        };
    }

    /**
     * What a stream carries: it counts toward {@code user}'s limits and presence, starts after
     * {@code from}, follows what {@code registration} attaches it to, lets through what passes
     * {@code include}, and ends after an event matching {@code endsAfter}.
     */
    record Subscription(
            String user,
            History.Cursor from,
            Registration registration,
            Predicate<EventEnvelope<EventPayload>> include,
            Predicate<EventEnvelope<EventPayload>> endsAfter) {}

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
                                properties.retry())));
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

    /** Takes a place among this instance's streams, or refuses with 429. */
    private void admit() {
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
        Deque<Stream> mine = byUser.computeIfAbsent(user, u -> new ConcurrentLinkedDeque<>());
        boolean first = mine.isEmpty();
        mine.addLast(stream);
        while (mine.size() > properties.maxStreamsPerUser()) {
            Stream oldest = mine.pollFirst();
            if (oldest != null) {
                evicted.increment();
                oldest.end();
            }
        }
        if (first) {
            publisher.send(EventEnvelope.of(
                    new PresenceEvent.UserCameOnline(user, properties.instanceId(), mine.size(), Instant.now()),
                    "sse-gateway"));
        }
        opened.increment();
        stream.emit(new Frames.Greeting(properties.retry(), ClientEvents.connectionEstablished()));
        Consumer<EventEnvelope<EventPayload>> deliver = event -> push(stream, event, include, endsAfter, true);
        History.Listener live = stream.inbox == null ? deliver::accept : stream.queueing(deliver, queued);
        registration.register(live, event -> push(stream, event, include, endsAfter, false));
        return () -> {
            registration.unregister(live);
            mine.remove(stream);
            total.decrementAndGet();
            closed.increment();
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

    private void push(
            Stream stream,
            EventEnvelope<EventPayload> event,
            Predicate<EventEnvelope<EventPayload>> include,
            Predicate<EventEnvelope<EventPayload>> endsAfter,
            boolean live) {
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
            stream.cut();
            return;
        }
        stream.emit(new Frames.Event(cursor, encoded(event)));
        delivered.increment();
        if (endsAfter.test(event)) {
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

    /** Graceful drain: every stream is ended so its client reconnects (to another instance). */
    void drain() {
        byUser.values().forEach(streams -> streams.forEach(Stream::end));
    }
}
