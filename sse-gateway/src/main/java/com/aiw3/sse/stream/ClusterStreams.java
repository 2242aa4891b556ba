package com.aiw3.sse.stream;

import com.aiw3.sse.SseProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * The per-user stream limit across every instance ({@code aiw3.sse.max-streams-per-user}, ADR 0041). Each stream is
 * registered in a sorted set per user in Redis, scored by Redis's clock when it opened; a registration that takes
 * the user past the limit removes the oldest in the same script and returns them. An instance ends those of its own
 * at once (each with its final {@code stream_evicted} event) and announces the others on {@value #CHANNEL}, to which
 * every instance listens.
 *
 * <p>Entries of an instance that died unannounced are the oldest: a later registration removes them first, and
 * none outlives {@code max-lifetime}, after which no stream is open. If Redis is out of reach the registration
 * fails open ({@code aiw3_sse_stream_limit_errors_total}): the limit then holds per instance only.
 */
@Component
class ClusterStreams {

    private static final Logger log = LoggerFactory.getLogger(ClusterStreams.class);

    /** Eviction notices: the member (instance and stream) to end; the instance that holds it ends it. */
    static final String CHANNEL = "aiw3:sse:evictions";

    private static final String KEY_PREFIX = "aiw3:sse:streams:";

    /**
     * KEYS[1] the user's set; ARGV the member, the limit, the longest a stream lives (microseconds) and the key's
     * expiry (milliseconds). Scores are Redis's clock in microseconds, so every instance orders the same way.
     * Returns the members removed beyond the limit, oldest first.
     */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> OPEN = RedisScript.of("""
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
            redis.call('ZADD', KEYS[1], now, ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
            if over <= 0 then return {} end
            local evicted = redis.call('ZRANGE', KEYS[1], 0, over - 1)
            redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1)
            return evicted
            """, List.class);

    private final ReactiveStringRedisTemplate redis;
    private final String instance;
    private final int limit;
    private final Duration lifetime;
    /** This instance's registered streams: member to what evicts it. */
    private final Map<String, Runnable> local = new ConcurrentHashMap<>();

    private final Counter errors;
    private final Counter remoteEvictions;
    private final AtomicLong lastWarning = new AtomicLong();
    private @Nullable Disposable notices;

    ClusterStreams(ReactiveStringRedisTemplate redis, SseProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.instance = properties.instanceId();
        this.limit = properties.maxStreamsPerUser();
        // A stream never outlives max-lifetime; the margin covers the lifetime ticker and clock steps.
        this.lifetime = properties.maxLifetime().plusMinutes(1);
        this.errors = Counter.builder("aiw3.sse.stream.limit.errors")
                .description("Stream registrations Redis did not take: the per-user limit held on this instance only")
                .register(meters);
        this.remoteEvictions = Counter.builder("aiw3.sse.streams.evicted.elsewhere")
                .description("Streams of other instances this instance's new streams evicted (announced to them)")
                .register(meters);
    }

    @PostConstruct
    void listen() {
        notices = Flux.defer(() -> redis.listenToChannel(CHANNEL))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)))
                .subscribe(message -> evictHere(message.getMessage()));
    }

    @PreDestroy
    void stop() {
        if (notices != null) {
            notices.dispose();
        }
    }

    /**
     * Registers a stream of {@code user}; {@code evict} ends it with its final event when the user's newer streams
     * anywhere take it past the limit. Returns its member, to pass to {@link #closed}.
     */
    String opened(String user, Runnable evict) {
        String member = instance + "/" + UUID.randomUUID();
        local.put(member, evict);
        redis.execute(
                        OPEN,
                        List.of(KEY_PREFIX + user),
                        List.of(
                                member,
                                Integer.toString(limit),
                                Long.toString(lifetime.toNanos() / 1_000),
                                Long.toString(lifetime.toMillis())))
                .next()
                .subscribe(evicted -> evicted.forEach(old -> evict(String.valueOf(old))), failure -> failOpen(failure));
        return member;
    }

    /** Unregisters a stream that ended (for any reason). */
    void closed(String user, String member) {
        local.remove(member);
        redis.opsForZSet().remove(KEY_PREFIX + user, member).subscribe(removed -> {}, this::failOpen);
    }

    private void evict(String member) {
        if (!evictHere(member)) {
            remoteEvictions.increment();
            redis.convertAndSend(CHANNEL, member).subscribe(receivers -> {}, this::failOpen);
        }
    }

    /** Ends the stream if it is this instance's; whether it was. */
    private boolean evictHere(String member) {
        if (!member.startsWith(instance + "/")) {
            return false;
        }
        Runnable evict = local.remove(member);
        if (evict != null) {
            evict.run();
        }
        return true;
    }

    private void failOpen(Throwable failure) {
        errors.increment();
        long now = System.nanoTime();
        long last = lastWarning.get();
        // One line a minute at most: with Redis down every stream would log otherwise.
        if ((last == 0 || now - last > Duration.ofMinutes(1).toNanos()) && lastWarning.compareAndSet(last, now)) {
            log.warn("per-user stream limit held on this instance only, Redis failed: {}", failure.toString());
        }
    }
}
