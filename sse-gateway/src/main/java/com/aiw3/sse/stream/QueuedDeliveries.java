package com.aiw3.sse.stream;

import com.aiw3.sse.SseProperties;
import com.aiw3.sse.feed.Backlog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.locks.LockSupport;
import org.springframework.stereotype.Component;

/** The feed's bound: live deliveries queued on the event loops, at most {@code max-queued-deliveries}. */
@Component
class QueuedDeliveries implements Backlog {

    private final long max;

    QueuedDeliveries(SseProperties properties, MeterRegistry meters) {
        this.max = properties.maxQueuedDeliveries();
        Gauge.builder("aiw3.sse.deliveries.queued", LoopInbox.QUEUED, q -> q.sum())
                .description("Live deliveries handed to the event loops and not yet written")
                .register(meters);
    }

    @Override
    public void awaitRoom() throws InterruptedException {
        while (LoopInbox.QUEUED.sum() > max) {
            LockSupport.parkNanos(200_000);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
