package com.aiw3.sse.feed;

import com.aiw3.sse.SseProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Drops, every {@code aiw3.sse.history-sweep}, what has aged out of the history window and the users left
 * with nothing: without it a user seen once would be kept for the life of the instance.
 */
@Component
class HistorySweep implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HistorySweep.class);

    private final History history;
    private final SseProperties properties;
    private volatile @Nullable ScheduledExecutorService ticker;

    HistorySweep(History history, SseProperties properties, MeterRegistry meters) {
        this.history = history;
        this.properties = properties;
        Gauge.builder("aiw3.sse.history.users", history, History::users)
                .description("Users the resume history holds kept events or open streams for")
                .register(meters);
    }

    @Override
    public void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sse-history-sweep").daemon().factory());
        long every = properties.historySweep().toMillis();
        ticker.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            int dropped = history.sweep();
            log.debug("history sweep dropped {} users; {} kept", dropped, history.users());
        } catch (RuntimeException e) {
            // The ticker must outlive any one failure, or the history would grow again.
            log.warn("history sweep failed", e);
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = ticker;
        if (running != null) {
            running.shutdownNow();
            ticker = null;
        }
    }

    @Override
    public boolean isRunning() {
        return ticker != null;
    }
}
