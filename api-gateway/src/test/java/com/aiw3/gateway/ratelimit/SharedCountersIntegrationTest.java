package com.aiw3.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
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

    SharedCountersIntegrationTest() {
        factory.afterPropertiesSet();
        factory.start();
        redis = new ReactiveStringRedisTemplate(factory);
        counters = new SharedCounters(redis, new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        redis.delete(key).block();
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
}
