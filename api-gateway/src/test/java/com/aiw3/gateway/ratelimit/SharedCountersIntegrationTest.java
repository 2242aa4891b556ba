package com.aiw3.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The shared stream count against the real Redis. */
class SharedCountersIntegrationTest {

    private final LettuceConnectionFactory factory = new LettuceConnectionFactory("127.0.0.1", 6379);
    private final ReactiveStringRedisTemplate redis;
    private final SharedCounters counters;
    private final String key = "sse:test:" + UUID.randomUUID();
    private final String bucket = "rl:test:" + UUID.randomUUID();

    SharedCountersIntegrationTest() {
        factory.afterPropertiesSet();
        factory.start();
        redis = new ReactiveStringRedisTemplate(factory);
        counters = new SharedCounters(redis, new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        redis.delete(
                        key,
                        "request_rate_limiter.{" + bucket + "}.tokens",
                        "request_rate_limiter.{" + bucket + "}.timestamp")
                .block();
        factory.destroy();
    }

    @Test
    void slotsAreCountedUpToTheCapAndAReleaseNeverTakesTheCountBelowZero() {
        assertThat(counters.tryAcquire(key, 2, Duration.ofMinutes(1)).block()).isEqualTo(SharedCounters.Permit.COUNTED);
        assertThat(counters.tryAcquire(key, 2, Duration.ofMinutes(1)).block()).isEqualTo(SharedCounters.Permit.COUNTED);
        assertThat(counters.tryAcquire(key, 2, Duration.ofMinutes(1)).block()).isEqualTo(SharedCounters.Permit.REFUSED);

        for (int i = 0; i < 4; i++) {
            counters.release(key).block();
        }

        assertThat(redis.opsForValue().get(key).block()).isEqualTo("0");
        assertThat(counters.tryAcquire(key, 2, Duration.ofMinutes(1)).block()).isEqualTo(SharedCounters.Permit.COUNTED);
        assertThat(counters.tryAcquire(key, 2, Duration.ofMinutes(1)).block()).isEqualTo(SharedCounters.Permit.COUNTED);
        assertThat(counters.tryAcquire(key, 2, Duration.ofMinutes(1)).block()).isEqualTo(SharedCounters.Permit.REFUSED);
    }

    /**
     * 5 per 4 s. One request, then a request every 20 ms from just before the point where a fixed window started
     * by that request would end until well after it. A fixed window passed 4 before its edge and 5 right after
     * (9 within half a second); the bucket passes its 5 and then one every 0.8 s. Redis refills in whole
     * seconds, so a stretch of {@code d} seconds may be credited up to {@code d + 1} seconds of refill.
     */
    @Test
    void aBurstAcrossAWindowEdgeNeverPassesMoreThanTheBucketHolds() {
        int limit = 5;
        Duration period = Duration.ofSeconds(4);
        long start = System.nanoTime();
        assertThat(counters.take(bucket, limit, period).block().allowed()).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() ->
                        System.nanoTime() - start >= Duration.ofMillis(3600).toNanos());

        List<Long> passed = new ArrayList<>();
        while (System.nanoTime() - start < Duration.ofMillis(6000).toNanos()) {
            long at = System.nanoTime();
            var decision = counters.take(bucket, limit, period).block();
            if (decision.allowed()) {
                passed.add(at);
            } else {
                assertThat(decision.retryAfter()).isBetween(Duration.ofSeconds(1), period);
            }
            await().pollDelay(Duration.ofMillis(20)).until(() -> true);
        }

        double perSecond = (double) limit / period.toSeconds();
        for (int i = 0; i < passed.size(); i++) {
            for (int j = i; j < passed.size(); j++) {
                double seconds = (passed.get(j) - passed.get(i)) / 1e9;
                assertThat(j - i + 1)
                        .as("requests passed within %.2f s", seconds)
                        .isLessThanOrEqualTo(limit + (int) Math.floor((seconds + 1.1) * perSecond));
            }
        }
        assertThat(passed).as("the bucket refills").hasSizeGreaterThan(limit);
    }
}
