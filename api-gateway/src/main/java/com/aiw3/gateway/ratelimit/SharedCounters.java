package com.aiw3.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
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

    /**
     * Spring Cloud Gateway's token bucket ({@code RedisRateLimiter}'s script): KEYS are the bucket's tokens and
     * its last refill time; ARGV replenishRate (tokens per second), burstCapacity, now (empty: Redis's clock, so
     * every instance agrees) and requestedTokens. Returns {1 if allowed, tokens left}.
     */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> BUCKET =
            RedisScript.of(new ClassPathResource("META-INF/scripts/request_rate_limiter.lua"), List.class);

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

    /** Whether a request may pass; when not, how long until it would. */
    record Decision(boolean allowed, Duration retryAfter) {}

    /**
     * Takes one request from a token bucket that holds {@code limit} requests and refills one every
     * {@code period / limit}: a burst of {@code limit} at once, then an even rate, so no stretch of time
     * {@code t} passes more than {@code limit + t * limit / period} (a fixed window let twice the limit through
     * across its edge). In the script's units: {@code limit} tokens per second, {@code period} in whole seconds
     * of tokens per request, a capacity of both multiplied.
     */
    Mono<Decision> take(String key, int limit, Duration period) {
        long perRequest = Math.max(1, period.toSeconds());
        return redis.execute(
                        BUCKET,
                        List.of(
                                "request_rate_limiter.{" + key + "}.tokens",
                                "request_rate_limiter.{" + key + "}.timestamp"),
                        List.of(
                                Integer.toString(limit),
                                Long.toString(limit * perRequest),
                                "",
                                Long.toString(perRequest)))
                .next()
                .map(result -> {
                    boolean allowed = ((Number) result.get(0)).longValue() == 1;
                    long missing = perRequest - ((Number) result.get(1)).longValue();
                    // The script refills in whole seconds: round up, and never say "now".
                    long seconds = Math.max(1, (missing + limit - 1) / limit);
                    return new Decision(allowed, allowed ? Duration.ZERO : Duration.ofSeconds(seconds));
                })
                .onErrorResume(e -> failOpen(e, new Decision(true, Duration.ZERO)));
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

    private <T> Mono<T> failOpen(Throwable e, @Nullable T decision) {
        errors.increment();
        log.warn("rate limit check failed open: {}", e.toString());
        return Mono.justOrEmpty(decision);
    }
}
