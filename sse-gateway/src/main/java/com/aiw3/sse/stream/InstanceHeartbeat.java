package com.aiw3.sse.stream;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.presence.GatewayInstanceEvent.GatewayInstanceAlive;
import com.aiw3.messaging.kafka.KafkaEventPublisher;
import com.aiw3.sse.SseProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps this instance's presence reports valid: a heartbeat with a lease, three times per lease. An instance
 * that dies without closing its streams stops sending them, and its users' presence ends with the lease
 * instead of lasting until someone notices. Each start sends a new {@code startedAt}, which voids what an
 * earlier run under the same instance id reported.
 */
@Component
class InstanceHeartbeat implements SmartLifecycle {

    private final KafkaEventPublisher publisher;
    private final String instanceId;
    private final Duration lease;
    private volatile @Nullable ScheduledExecutorService timer;
    // Set by start(), before the first beat reads it.
    @SuppressWarnings("NullAway.Init")
    private volatile Instant startedAt;

    InstanceHeartbeat(KafkaEventPublisher publisher, SseProperties properties) {
        this.publisher = publisher;
        this.instanceId = properties.instanceId();
        this.lease = properties.instanceLease();
    }

    @Override
    public void start() {
        startedAt = Instant.now();
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("instance-heartbeat").daemon().factory());
        timer = started;
        long period = Math.max(1, lease.toMillis() / 3);
        started.scheduleAtFixedRate(this::beat, 0, period, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        publisher.send(EventEnvelope.of(
                new GatewayInstanceAlive(instanceId, startedAt, Instant.now(), (int) lease.toSeconds()),
                "sse-gateway"));
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = timer;
        timer = null;
        if (running != null) {
            running.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    /** Beats until after the streams are drained (their users' offline reports need a live lease). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }
}
