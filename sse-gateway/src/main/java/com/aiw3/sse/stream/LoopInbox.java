package com.aiw3.sse.stream;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.netty.Connection;
import reactor.util.concurrent.Queues;

/**
 * Live deliveries to the streams of one Netty event loop, handed over as one task per burst. The Kafka
 * feed's thread only queues; the loop that owns the connections encodes and writes. Handing each
 * delivery over on its own would wake the loop once per stream per event (a system call each), and would
 * leave all fan-out work on the feed's single thread while the loops idle.
 */
final class LoopInbox implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(LoopInbox.class);
    private static final int SHARE = 512;
    private static final Map<EventLoop, LoopInbox> BY_LOOP = new ConcurrentHashMap<>();

    private final EventLoop loop;
    private final Queue<Runnable> deliveries =
            Queues.<Runnable>unboundedMultiproducer().get();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private LoopInbox(EventLoop loop) {
        this.loop = loop;
    }

    /** The Reactor Netty connection (an HTTP/2 stream's own channel) of a request, or null on another server. */
    static @Nullable Connection connectionOf(ServerHttpRequest request) {
        return ServerHttpRequestDecorator.getNativeRequest(request) instanceof Connection connection
                ? connection
                : null;
    }

    /** The inbox of the event loop serving a connection (an HTTP/2 stream's is its connection's). */
    static LoopInbox of(Connection connection) {
        return BY_LOOP.computeIfAbsent(connection.channel().eventLoop(), LoopInbox::new);
    }

    /** Runs {@code delivery} on this loop, in the order given; wakes the loop only when it had nothing queued. */
    void add(Runnable delivery) {
        deliveries.offer(delivery);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    /**
     * Runs a bounded share of the queue, then yields: the loop must get back to its sockets (the writes
     * just made are flushed by tasks queued behind this one) while the feed keeps the inbox full.
     */
    @Override
    public void run() {
        Runnable delivery;
        for (int budget = SHARE; budget > 0 && (delivery = deliveries.poll()) != null; budget--) {
            try {
                delivery.run();
            } catch (RuntimeException e) {
                // one stream's failure must not cost the other streams of this loop their events
                log.warn("a delivery failed", e);
            }
        }
        if (!deliveries.isEmpty()) {
            loop.execute(this);
            return;
        }
        scheduled.set(false);
        // a delivery added between the emptiness check and the reset would otherwise wait for the next one
        if (!deliveries.isEmpty() && scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }
}
