package com.aiw3.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Counters in Redis, so every gateway instance enforces the same limits. If Redis is unreachable the
 * limits fail open (availability over throttling) and {@code aiw3_gateway_limit_errors_total} counts it.
 */
@Component
class SharedCounters {

    private static final Logger log = LoggerFactory.getLogger(SharedCounters.class);

    /** Fixed window: count this request, start the window on the first one; returns {count, ms left}. */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> WINDOW = RedisScript.of("""
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return {count, redis.call('PTTL', KEYS[1])}
            """, List.class);

    /** A gauge of open things (streams); the expiry only guards against an instance dying while holding some. */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> ACQUIRE = RedisScript.of("""
            local count = redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            if count > tonumber(ARGV[2]) then redis.call('DECR', KEYS[1]); return {0, count - 1} end
            return {1, count}
            """, List.class);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RELEASE = RedisScript.of("""
            local count = redis.call('DECR', KEYS[1])
            if count < 0 then redis.call('SET', KEYS[1], 0, 'KEEPTTL'); count = 0 end
            return {count}
            """, List.class);

    private final ReactiveStringRedisTemplate redis;
    private final Counter errors;

    SharedCounters(ReactiveStringRedisTemplate redis, MeterRegistry meters) {
        this.redis = redis;
        this.errors = Counter.builder("aiw3.gateway.limit.errors")
                .description("Limit checks that could not reach Redis and let the request through")
                .register(meters);
    }

    /** Counts a request in a window; the decision says whether it is within the limit. */
    record WindowDecision(boolean allowed, Duration retryAfter) {}

    Mono<WindowDecision> countInWindow(String key, int limit, Duration window) {
        return redis.execute(WINDOW, List.of(key), List.of(Long.toString(window.toMillis())))
                .next()
                .map(result -> {
                    long count = ((Number) result.get(0)).longValue();
                    long msLeft = ((Number) result.get(1)).longValue();
                    return new WindowDecision(count <= limit, Duration.ofMillis(Math.max(msLeft, 1000)));
                })
                .onErrorResume(e -> failOpen(e, new WindowDecision(true, Duration.ZERO)));
    }

    /** The outcome of taking a slot: only a counted slot is given back, so the count never drifts below 0. */
    enum Permit {
        COUNTED,
        REFUSED,
        /** Redis could not be asked: let through (fail open), and not counted. */
        UNCOUNTED
    }

    Mono<Permit> tryAcquire(String key, int max, Duration leakGuard) {
        return redis.execute(ACQUIRE, List.of(key), List.of(Long.toString(leakGuard.toMillis()), Integer.toString(max)))
                .next()
                .map(result -> ((Number) result.get(0)).longValue() == 1 ? Permit.COUNTED : Permit.REFUSED)
                .onErrorResume(e -> failOpen(e, Permit.UNCOUNTED));
    }

    /** Gives back a counted slot; never below zero (a key that expired meanwhile starts again at 0). */
    Mono<Void> release(String key) {
        return redis.execute(RELEASE, List.of(key), List.of())
                .then()
                .onErrorResume(e -> failOpen(e, null).then());
    }

    private <T> Mono<T> failOpen(Throwable e, T decision) {
        errors.increment();
        log.warn("rate limit check failed open: {}", e.toString());
        return Mono.justOrEmpty(decision);
    }
}
