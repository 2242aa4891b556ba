package com.aiw3.sse.stream;

import com.aiw3.sse.SseProperties;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown, before the web server stops: reports not ready (the balancer sends new streams elsewhere),
 * then ends every stream, spread over {@code aiw3.sse.drain-window}, each with a {@code reconnect} event:
 * browsers reconnect to another instance, spread out rather than in one wave, and resume with
 * Last-Event-ID.
 */
@Component
class DrainOnShutdown implements SmartLifecycle {

    private final Streams streams;
    private final SseProperties properties;
    private final ApplicationEventPublisher events;
    private volatile boolean running;

    DrainOnShutdown(Streams streams, SseProperties properties, ApplicationEventPublisher events) {
        this.streams = streams;
        this.properties = properties;
        this.events = events;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        streams.drain(properties.drainWindow());
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown phase, which would otherwise wait on open streams. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
