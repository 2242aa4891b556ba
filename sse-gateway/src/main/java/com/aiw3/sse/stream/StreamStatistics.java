package com.aiw3.sse.stream;

import com.aiw3.sse.SseProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * How this instance's streams end and how long they last: {@code aiw3.sse.stream.duration{outcome}}, recorded
 * once when each stream ends, with the streams opened and closed since start. Every outcome's series exists from
 * start-up at zero, so a query on one answers before the first stream ends that way (ADR 0034).
 */
@Component
class StreamStatistics {

    /** Why a stream ended; each is the {@code outcome} tag of its duration. */
    enum Outcome {
        /** The connection closed with nothing on this side ending the stream: the client (or a proxy) went. */
        CLIENT_CLOSED,
        /** A process's stream (upgrade, claim, badge activation) ended after its terminal step. */
        COMPLETED,
        /** Ended at its maximum lifetime with a {@code reconnect} event. */
        MAX_LIFETIME,
        /** Ended by the drain on shutdown with a {@code reconnect} event. */
        DRAINED,
        /** Ended by newer streams of its user past {@code max-streams-per-user}, with {@code stream_evicted}. */
        EVICTED,
        /** Ended at its token's expiry with {@code session_expired}. */
        SESSION_EXPIRED,
        /** Ended by the sign-out of its session with {@code logged_out}. */
        LOGGED_OUT,
        /** Cut as a slow client, its backlog past {@code buffer-per-stream}. */
        OVERFLOWED;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    /** Streams measured in whole seconds and up: the buckets stay a few dozen per outcome. */
    private static final Duration SHORTEST_MEASURED = Duration.ofSeconds(1);

    private final Counter opened;
    private final Counter closed;
    private final Map<Outcome, Timer> durations = new EnumMap<>(Outcome.class);

    StreamStatistics(SseProperties properties, MeterRegistry meters) {
        this.opened = meters.counter("aiw3.sse.streams.opened");
        this.closed = meters.counter("aiw3.sse.streams.closed");
        // No stream outlives max-lifetime (but for a tick of the lifetime ticker): the buckets end there.
        Duration longest = properties.maxLifetime().compareTo(SHORTEST_MEASURED) > 0
                ? properties.maxLifetime()
                : SHORTEST_MEASURED;
        for (Outcome outcome : Outcome.values()) {
            durations.put(
                    outcome,
                    Timer.builder("aiw3.sse.stream.duration")
                            .description("How long a stream of this instance lasted, by how it ended")
                            .tag("outcome", outcome.tag)
                            .publishPercentileHistogram()
                            .minimumExpectedValue(SHORTEST_MEASURED)
                            .maximumExpectedValue(longest)
                            .register(meters));
        }
    }

    void opened() {
        opened.increment();
    }

    /** A stream opened at {@code openedAt} ({@link System#nanoTime()}) has ended, as {@code outcome}. */
    void ended(Outcome outcome, long openedAt) {
        closed.increment();
        durations.get(outcome).record(System.nanoTime() - openedAt, TimeUnit.NANOSECONDS);
    }

    /** The streams opened since start, those ended by outcome, and how long the ended ones lasted on average. */
    record Totals(long opened, Map<String, Long> ended, double meanSeconds) {}

    Totals totals() {
        Map<String, Long> ended = new LinkedHashMap<>();
        long count = 0;
        double seconds = 0;
        for (var duration : durations.entrySet()) {
            long n = duration.getValue().count();
            ended.put(duration.getKey().tag, n);
            count += n;
            seconds += duration.getValue().totalTime(TimeUnit.SECONDS);
        }
        return new Totals((long) opened.count(), ended, count == 0 ? 0 : Math.round(seconds / count * 1000) / 1000.0);
    }
}
