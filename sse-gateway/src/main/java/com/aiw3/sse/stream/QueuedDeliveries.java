package com.aiw3.sse.stream;

import com.aiw3.sse.SseProperties;
import com.aiw3.sse.feed.Backlog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.springframework.stereotype.Component;

/** The feed's bound: live deliveries queued on the event loops, at most {@code max-queued-deliveries}. */
@Component
class QueuedDeliveries implements Backlog {

    private final long max;
    /** Per application, not static: two gateways in one JVM (the tests) must not count each other's. */
    private final LongAdder queued = new LongAdder();

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

    @Override
    public void awaitRoom() throws InterruptedException {
        while (queued.sum() > max) {
            LockSupport.parkNanos(200_000);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
