package com.aiw3.sse.stream;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.sse.SseProperties;
import com.aiw3.sse.feed.Backlog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Live deliveries on their way to the event loops: the feed's bound ({@code max-queued-deliveries}), and
 * the batches that carry an event to all of one loop's streams.
 *
 * <p>Why batches: a delivery queued on its stream stores the event (a young object) into the long-lived
 * stream's queue, so G1 has a dirty card to refine and scan for nearly every stream at every young
 * collection; at light load that was the largest part of a delivery after the kernel's. A batch is young
 * itself and only points at streams. It is used while the loop keeps up: when the loop has not finished
 * the previous event's batches, or a stream still has events in its own queue, the event goes to the
 * stream's queue as before, so a stream that fell behind still gets all it missed in one write.
 */
@Component
class QueuedDeliveries implements Backlog {

    private static final Logger log = LoggerFactory.getLogger(QueuedDeliveries.class);
    /** Streams per batch: a loop starts writing while the feed is still fanning the event out. */
    static final int BATCH = 512;

    private final long max;
    /** Per application, not static: two gateways in one JVM (the tests) must not count each other's. */
    private final LongAdder queued = new LongAdder();

    // The feed's thread only (one feed per application), indexed by LoopInbox.index.
    private Batch[] building = new Batch[0];
    /** The last batch handed to each loop; the loop keeps up while it is done. */
    private Batch[] handedOver = new Batch[0];
    /** Per loop: whether the event being fanned out goes in batches there (decided at its first stream). */
    private byte[] mode = new byte[0];

    private static final byte UNDECIDED = 0;
    private static final byte BATCHED = 1;
    private static final byte QUEUED = 2;

    private EventEnvelope<EventPayload> fanningOut;
    private int touched;
    private int[] touchedLoops = new int[0];

    QueuedDeliveries(SseProperties properties, MeterRegistry meters) {
        this.max = properties.maxQueuedDeliveries();
        Gauge.builder("aiw3.sse.deliveries.queued", queued, LongAdder::sum)
                .description("Live deliveries handed to the event loops and not yet written")
                .register(meters);
    }

    /** A live event was queued for a stream's event loop. */
    void added() {
        queued.increment();
    }

    /** A queued live event was taken for delivery. */
    void taken() {
        queued.decrement();
    }

    /**
     * Puts {@code stream} in its loop's batch of {@code event}, unless that loop is still writing earlier
     * batches; false if the caller must queue the event on the stream. The feed's thread only.
     */
    boolean batch(Stream stream, EventEnvelope<EventPayload> event) {
        if (event != fanningOut) {
            handOver();
            fanningOut = event;
        }
        int loop = stream.inbox.index;
        if (loop >= mode.length) {
            grow(loop + 1);
        }
        if (mode[loop] == UNDECIDED) {
            Batch last = handedOver[loop];
            mode[loop] = last == null || last.done ? BATCHED : QUEUED;
            touchedLoops[touched++] = loop;
        }
        if (mode[loop] == QUEUED) {
            return false;
        }
        Batch batch = building[loop];
        if (batch == null) {
            batch = building[loop] = new Batch(event, stream.inbox);
        }
        batch.add(stream);
        if (batch.size == BATCH) {
            send(loop, batch);
        }
        return true;
    }

    @Override
    public void handOver() {
        for (int i = 0; i < touched; i++) {
            int loop = touchedLoops[i];
            Batch batch = building[loop];
            if (batch != null) {
                send(loop, batch);
            }
            mode[loop] = UNDECIDED;
        }
        touched = 0;
        fanningOut = null;
    }

    private void send(int loop, Batch batch) {
        building[loop] = null;
        handedOver[loop] = batch;
        queued.add(batch.size);
        batch.inbox.add(batch);
    }

    private void grow(int loops) {
        building = Arrays.copyOf(building, loops);
        handedOver = Arrays.copyOf(handedOver, loops);
        mode = Arrays.copyOf(mode, loops);
        touchedLoops = Arrays.copyOf(touchedLoops, loops);
    }

    @Override
    public void awaitRoom() throws InterruptedException {
        while (queued.sum() > max) {
            LockSupport.parkNanos(200_000);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** One event for up to {@link #BATCH} streams of one event loop, each written and flushed in turn. */
    private final class Batch implements Runnable {
        final EventEnvelope<EventPayload> event;
        final LoopInbox inbox;
        Stream[] streams = new Stream[16];
        int size;
        /** Set by the loop once written; read by the feed to decide the next event's way. */
        volatile boolean done;

        Batch(EventEnvelope<EventPayload> event, LoopInbox inbox) {
            this.event = event;
            this.inbox = inbox;
        }

        void add(Stream stream) {
            if (size == streams.length) {
                streams = Arrays.copyOf(streams, Math.min(BATCH, size * 2));
            }
            streams[size++] = stream;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < size; i++) {
                    try {
                        streams[i].deliverNow(event);
                    } catch (RuntimeException e) {
                        // one stream's failure must not cost the batch's other streams the event
                        log.warn("a delivery failed", e);
                    }
                }
            } finally {
                queued.add(-size);
                done = true;
            }
        }
    }
}
