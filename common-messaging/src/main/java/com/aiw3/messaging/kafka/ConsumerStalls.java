package com.aiw3.messaging.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.ApplicationListener;
import org.springframework.kafka.event.ConsumerStartedEvent;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Which consumer groups are blocked on a record they keep failing to process, for operators:
 * {@code aiw3_consumer_blocked_failures{group}} counts the consecutive failed attempts (0 while records
 * flow) and {@code aiw3_consumer_blocked_seconds{group}} how long the group has been stuck. A group stays
 * blocked, holding its partitions, until the failure passes: alert on the seconds, not on the count.
 *
 * <p>Both gauges of a group are registered at 0 when its listener container's consumer starts, so the
 * series exist (and dashboards and alerts read 0) before the group ever fails.
 */
public final class ConsumerStalls implements ApplicationListener<ConsumerStartedEvent> {

    private final MeterRegistry meters;
    private final Map<String, Stall> byGroup = new ConcurrentHashMap<>();

    ConsumerStalls(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Consecutive failed attempts of the group's current record or batch; 0 when it is not blocked. */
    public int consecutiveFailures(String group) {
        Stall stall = byGroup.get(group);
        return stall == null ? 0 : stall.failures.get();
    }

    /** A listener container's consumer started: its group's gauges exist from now on, at 0. */
    @Override
    public void onApplicationEvent(ConsumerStartedEvent event) {
        MessageListenerContainer container = event.getContainer(MessageListenerContainer.class);
        byGroup.computeIfAbsent(groupOf(container), this::register);
    }

    /** The group a container's stalls are reported under: its consumer group, else its listener id. */
    static String groupOf(MessageListenerContainer container) {
        String group = container.getGroupId();
        return group != null ? group : container.getListenerId();
    }

    void failed(String group) {
        Stall stall = byGroup.computeIfAbsent(group, this::register);
        if (stall.failures.getAndIncrement() == 0) {
            stall.since.set(System.nanoTime());
        }
    }

    void succeeded(String group) {
        Stall stall = byGroup.get(group);
        if (stall != null && stall.failures.get() != 0) {
            stall.failures.set(0);
        }
    }

    private Stall register(String group) {
        Stall stall = new Stall(new AtomicInteger(), new AtomicLong());
        Gauge.builder("aiw3.consumer.blocked.failures", stall.failures, AtomicInteger::get)
                .description("Consecutive failed attempts of the record or batch a consumer group is blocked on")
                .tag("group", group)
                .register(meters);
        Gauge.builder("aiw3.consumer.blocked.seconds", stall, s -> s.blockedSeconds())
                .description("How long a consumer group has been retrying the record or batch it is blocked on")
                .tag("group", group)
                .baseUnit("seconds")
                .register(meters);
        return stall;
    }

    private record Stall(AtomicInteger failures, AtomicLong since) {
        double blockedSeconds() {
            return failures.get() == 0 ? 0 : (System.nanoTime() - since.get()) / 1e9;
        }
    }
}
