package com.aiw3.sse.stream;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.sse.feed.History;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.util.concurrent.Queues;

/**
 * One open stream: where it is in the history, and its live events queued for its event loop. Its frames
 * go out through a Reactor sink ({@link FluxStream}, for WebFlux endpoints) or straight to its channel
 * ({@link ChannelStream}, for the Reactor Netty route every online user holds).
 */
abstract sealed class Stream permits Stream.FluxStream, Stream.ChannelStream {
    final AtomicReference<History.Cursor> cursor;

    /** The event loop's inbox of the stream's connection (null off Reactor Netty: delivers inline). */
    final @Nullable LoopInbox inbox;

    /**
     * When the stream reaches its maximum lifetime, in {@link System#nanoTime()}: set before the stream is
     * published to the lifetime ticker (through the user's concurrent deque), not changed after.
     */
    private long endsAt;

    /**
     * The sign-in the stream belongs to and when its token expires, in {@link System#nanoTime()}: set before
     * the stream is published to the lifetime ticker, not changed after.
     */
    private @Nullable String sessionId;

    private long sessionEndsAt;

    /**
     * Guarded by this: why the stream is being ended on this side (its terminal step, lifetime, drain, eviction,
     * session end, or a slow client's cut); null while nothing here has ended it.
     */
    private StreamStatistics.@Nullable Outcome ending;

    private final Queue<EventEnvelope<EventPayload>> live =
            Queues.<EventEnvelope<EventPayload>>unboundedMultiproducer().get();
    private final AtomicBoolean liveScheduled = new AtomicBoolean();

    Stream(History.Cursor from, @Nullable LoopInbox inbox) {
        this.cursor = new AtomicReference<>(from);
        this.inbox = inbox;
    }

    void endAt(long nanoTime) {
        endsAt = nanoTime;
    }

    void bindSession(String sessionId, long endsAtNanoTime) {
        this.sessionId = sessionId;
        this.sessionEndsAt = endsAtNanoTime;
    }

    /** Whether the stream belongs to the sign-in {@code session}. */
    boolean ofSession(String session) {
        return session.equals(sessionId);
    }

    /** Whether the stream's token has expired at {@code now}. */
    boolean sessionExpired(long now) {
        return sessionId != null && now - sessionEndsAt >= 0;
    }

    /** Whether the stream is past its lifetime at {@code now}; one that is already parting is left to it. */
    boolean expired(long now) {
        return now - endsAt >= 0;
    }

    /**
     * Claims the stream's ending, as {@code outcome}; false when something already ends it (the first claim is
     * how the stream ended, whatever comes after).
     */
    synchronized boolean endAs(StreamStatistics.Outcome outcome) {
        if (ending != null) {
            return false;
        }
        ending = outcome;
        return true;
    }

    /**
     * How the stream ended, once it has: as claimed, or {@link StreamStatistics.Outcome#CLIENT_CLOSED} when nothing
     * here ended it: a response is ended or cut only after a claim, so without one its connection closed.
     */
    synchronized StreamStatistics.Outcome outcome() {
        return ending != null ? ending : StreamStatistics.Outcome.CLIENT_CLOSED;
    }

    /** Sends a frame; callable from any thread. */
    abstract void emit(Frames.Frame frame);

    /** Pushes out what a batch wrote; called on the stream's event loop. */
    abstract void flush();

    /** A batch of live events is about to be written; on the stream's event loop. */
    void startBatch() {}

    /** Whether the client is more than {@code limit} events behind; asked before each live event. */
    abstract boolean fellBehind(int limit);

    /** Whether nothing is waiting for the client, so a heartbeat is due. */
    abstract boolean idle();

    /** Ends the response after what was sent; the client reconnects and resumes. */
    abstract void end();

    /**
     * Ends the stream at once, dropping what is queued: closes its connection (an HTTP/2 stream is reset,
     * its connection's other streams go on). Ending would wait behind writes a stalled client never takes.
     */
    abstract void cut();

    /**
     * The stream's listener of live events: it queues each for this stream's event loop and puts the stream
     * in the loop's inbox once for all it has queued, so a stream that fell behind gets its events in one
     * batch, written out by one system call, rather than one call per event. The task that drains the
     * queue is made here once, not per event.
     */
    History.Listener queueing(Consumer<EventEnvelope<EventPayload>> deliver, QueuedDeliveries queued) {
        Runnable drain = () -> {
            liveScheduled.set(false);
            startBatch();
            EventEnvelope<EventPayload> next;
            while ((next = live.poll()) != null) {
                queued.taken();
                deliver.accept(next);
            }
            flush();
        };
        return event -> {
            queued.added();
            live.offer(event);
            if (liveScheduled.compareAndSet(false, true)) {
                if (inbox == null) {
                    drain.run();
                } else {
                    inbox.add(drain);
                }
            }
        };
    }

    /** Frames through a sink that a WebFlux response subscribes to. */
    static final class FluxStream extends Stream {
        // Several threads emit into one stream (the feed, a replaying request, the heartbeat ticker): an
        // unserialised sink over a multi-producer queue takes them all, whoever drains; the serialised kind
        // would refuse an emission while another is in progress. A linked queue costs nothing when empty.
        final Sinks.Many<Frames.Frame> sink = Sinks.unsafe()
                .many()
                .unicast()
                .onBackpressureBuffer(
                        Queues.<Frames.Frame>unboundedMultiproducer().get());
        final AtomicInteger pending = new AtomicInteger();
        private final @Nullable Connection connection;

        FluxStream(History.Cursor from, @Nullable Connection connection) {
            super(from, connection == null ? null : LoopInbox.of(connection));
            this.connection = connection;
        }

        @Override
        void emit(Frames.Frame frame) {
            pending.incrementAndGet();
            sink.tryEmitNext(frame);
        }

        @Override
        void flush() {}

        @Override
        boolean fellBehind(int limit) {
            return pending.get() >= limit;
        }

        @Override
        boolean idle() {
            return pending.get() == 0;
        }

        @Override
        void end() {
            sink.tryEmitComplete();
        }

        @Override
        void cut() {
            end();
            if (connection != null) {
                connection.channel().close();
            }
        }
    }

    /**
     * Frames written straight to the stream's channel on its event loop, flushed once per batch: no
     * publisher, queue or subscriber chain per stream between the feed and the socket. The channel's own
     * outbound buffer is the stream's buffer, bounded by its writability.
     */
    static final class ChannelStream extends Stream {
        final Channel channel;
        // Completed on the stream's event loop only (end hops there; cut is called there).
        final Sinks.Empty<Void> ended = Sinks.unsafe().empty();
        /**
         * Live events written in batches that began with the channel past its high-water mark: the client
         * had not taken what the earlier batches wrote. Within one batch the mark is passed by the batch
         * itself, which says nothing of the client; event loop only.
         */
        private int behind;

        private boolean lagging;

        private boolean unflushed;
        /**
         * Set once the response is ended; event loop only. Live events and heartbeats queued until the
         * stream is detached are dropped, not written after the response's last chunk.
         */
        private boolean over;

        /**
         * On an HTTP/1.1 connection, the HTTP codec's place in the pipeline: frames are written from there as
         * ready-made chunks, past the encoder and the handlers above it, which for a body chunk only frame
         * it and pass it on (Reactor Netty's head and last chunk still go through them, so the encoder's
         * state stays right). Null on HTTP/2, where a frame is a DATA frame of the stream's own channel.
         */
        private final @Nullable ChannelHandlerContext http1;
        /** The inbox of the connection's event loop: a channel stream always has one. */
        private final LoopInbox loop;

        ChannelStream(History.Cursor from, Connection connection) {
            super(from, LoopInbox.of(connection));
            this.loop = Objects.requireNonNull(inbox);
            this.channel = connection.channel();
            this.http1 = channel.pipeline().context(HttpServerCodec.class);
        }

        @Override
        void emit(Frames.Frame frame) {
            if (channel.eventLoop().inEventLoop()) {
                write(frame);
            } else {
                loop.add(() -> {
                    write(frame);
                    flush();
                });
            }
        }

        private void write(Frames.Frame frame) {
            if (!over && channel.isActive()) {
                if (http1 != null) {
                    http1.write(Frames.chunk(frame), channel.voidPromise());
                } else {
                    // A ByteBuf is what Reactor Netty itself writes: HTTP/2 makes it a DATA frame.
                    channel.write(frame.bytes(), channel.voidPromise());
                }
                unflushed = true;
            }
        }

        @Override
        void flush() {
            if (unflushed) {
                unflushed = false;
                channel.flush();
            }
        }

        @Override
        void startBatch() {
            lagging = !channel.isWritable();
            if (!lagging) {
                behind = 0;
            }
        }

        @Override
        boolean fellBehind(int limit) {
            return lagging && ++behind > limit;
        }

        @Override
        boolean idle() {
            return channel.isWritable();
        }

        @Override
        void end() {
            // On the loop, behind whatever was queued for it, so the response's end follows its last events.
            if (channel.eventLoop().inEventLoop()) {
                flush();
                over = true;
                ended.tryEmitEmpty();
            } else {
                loop.add(this::end);
            }
        }

        @Override
        void cut() {
            over = true;
            ended.tryEmitEmpty();
            channel.close();
        }
    }
}
