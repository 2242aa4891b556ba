package com.aiw3.sse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.sse.feed.History;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Heap the resume history holds per user once a million distinct users have come and gone: each opens a
 * stream (without Last-Event-ID), receives one event and closes it. Driven in-process on the history
 * itself, which is what holds users between their streams: a million streams over HTTP would measure the
 * load client and the sockets, and take hours on the reference host. It prints heap per user while their
 * events are within the window, and per user after the window has passed and the sweep has run (the
 * figure that must be near zero: memory follows the users of the last window, not every user ever seen).
 *
 * <p>{@code ./mvnw -Pbenchmark -pl sse-gateway -am verify -Dit.test=HistoryBenchmark} (option
 * {@code -Dbenchmark.history.users=1000000}).
 */
class HistoryBenchmark {

    /** The system clock, which the benchmark moves past the window instead of waiting ten minutes. */
    private static final class MovableClock extends Clock {
        private volatile Duration ahead = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }

        void advance(Duration by) {
            ahead = ahead.plus(by);
        }
    }

    @Test
    void heapPerIdleUserAfterAMillionDistinctUsersHaveComeAndGone() {
        int users = Integer.getInteger("benchmark.history.users", 1_000_000);
        Duration window = Duration.ofMinutes(10);
        MovableClock clock = new MovableClock();
        History history = new History(window, 1000, clock);
        History.Listener listener = event -> {};

        long empty = usedHeap();
        long started = System.nanoTime();
        for (int i = 0; i < users; i++) {
            String user = "user-" + i;
            history.subscribeFromNow(user, listener, start -> {});
            history.append(event(user));
            history.unsubscribe(user, listener);
        }
        double comeAndGoneMicros = (System.nanoTime() - started) / 1_000.0 / users;
        long withinWindow = usedHeap();
        int heldWithinWindow = history.users();

        clock.advance(window.plusSeconds(1));
        long sweepStarted = System.nanoTime();
        int dropped = history.sweep();
        double sweepMillis = (System.nanoTime() - sweepStarted) / 1_000_000.0;
        long afterSweep = usedHeap();

        System.out.printf(
                Locale.ROOT,
                "%n[history] %,d distinct users came and went (stream opened, one event, stream closed): %.2f µs each%n"
                        + "[history] within the window: %,d users held, %,.1f bytes per user (their event kept)%n"
                        + "[history] after the window and one sweep (%,.0f ms, %,d dropped): %,d users held,"
                        + " %,.2f bytes per idle user%n",
                users,
                comeAndGoneMicros,
                heldWithinWindow,
                (withinWindow - empty) / (double) users,
                sweepMillis,
                dropped,
                history.users(),
                (afterSweep - empty) / (double) users);
        assertThat(history.users()).isZero();
        // Kept reachable to the end, so no measurement above sees it collected early.
        Reference.reachabilityFence(history);
    }

    private static EventEnvelope<EventPayload> event(String user) {
        @SuppressWarnings("unchecked")
        EventEnvelope<EventPayload> event = (EventEnvelope<EventPayload>) (EventEnvelope<?>) EventEnvelope.of(
                new UserEvent.PriceAlertTriggered(user, "SOL crossed 180", "SOL", new BigDecimal("180.00")), "trading");
        return event;
    }

    /** Heap in use after full collections, once it stops shrinking. */
    private static long usedHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
