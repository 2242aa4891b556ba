package com.aiw3.gateway.auth;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.session.SessionEvent;
import com.aiw3.messaging.kafka.KafkaEventPublisher;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sign-outs. A revoked session is a key in Redis, {@code aiw3:session-revoked:{session id}}, kept until the
 * session's token would have expired (plus the validators' clock skew): every gateway instance refuses the
 * session's tokens, the session cookie included, until then. Redis is the record; the
 * {@code SessionRevoked} event published after it only ends the session's open streams sooner (each
 * sse-gateway instance ends them with {@code logged_out}).
 *
 * <p>Checking costs one Redis read per token and instance at most every {@code recheck}: a token found not
 * revoked is trusted that long, a revoked session is remembered here until it expires. A sign-out on
 * another instance is therefore seen within {@code recheck}, which is shorter than the streams' {@code retry:}
 * hint. Redis unreachable: the check lets the token through (as the limits do) and
 * {@code aiw3_gateway_revocation_errors_total} counts it.
 */
final class SessionRevocations {

    private static final Logger log = LoggerFactory.getLogger(SessionRevocations.class);

    /** The clock skew Spring Security's timestamp validator allows: a token is accepted this long after exp. */
    static final Duration TOKEN_SKEW = Duration.ofSeconds(60);

    private static final String PREFIX = "aiw3:session-revoked:";

    private final ReactiveStringRedisTemplate redis;
    private final KafkaEventPublisher publisher;
    private final Duration recheck;
    private final Clock clock;
    /** Tokens found not revoked, by their text, until when that holds without asking Redis again. */
    private final Cache<String, Instant> clear;
    /** Sessions known revoked, until their token would have expired. */
    private final Cache<String, Instant> revoked;

    private final Counter errors;
    private final Counter unpublished;

    SessionRevocations(
            ReactiveStringRedisTemplate redis,
            KafkaEventPublisher publisher,
            Duration recheck,
            long maximumSize,
            MeterRegistry meters,
            Clock clock) {
        this.redis = redis;
        this.publisher = publisher;
        this.recheck = recheck;
        this.clock = clock;
        this.clear = Caffeine.newBuilder()
                .maximumSize(Math.max(1, maximumSize))
                .expireAfterWrite(recheck)
                .build();
        this.revoked = Caffeine.newBuilder()
                .maximumSize(Math.max(1, maximumSize))
                .expireAfterWrite(Duration.ofDays(1))
                .build();
        this.errors = Counter.builder("aiw3.gateway.revocation.errors")
                .description("Revocation checks and sign-outs that could not reach Redis")
                .register(meters);
        this.unpublished = Counter.builder("aiw3.gateway.revocation.unpublished")
                .description("Sign-outs recorded but not published to session-revocations (streams end at their"
                        + " lifetime instead)")
                .register(meters);
    }

    /** The token itself, or an error when its session was signed out. */
    Mono<Jwt> check(Jwt jwt) {
        Instant now = clock.instant();
        Instant until = clear.getIfPresent(jwt.getTokenValue());
        if (until != null && now.isBefore(until)) {
            return Mono.just(jwt);
        }
        String session = InternalIdentities.sessionId(jwt);
        Instant known = revoked.getIfPresent(session);
        if (known != null && now.isBefore(known)) {
            return Mono.error(SessionRevokedException::new);
        }
        return redis.hasKey(PREFIX + session)
                .onErrorResume(e -> {
                    errors.increment();
                    log.warn("revocation check failed open: {}", e.toString());
                    return Mono.just(false);
                })
                .flatMap(isRevoked -> {
                    if (isRevoked) {
                        revoked.put(session, keptUntil(jwt));
                        return Mono.error(new SessionRevokedException());
                    }
                    clear.put(jwt.getTokenValue(), now.plus(recheck));
                    return Mono.just(jwt);
                });
    }

    /**
     * Signs the token's session out: records the revocation in Redis until the token would have expired, then
     * publishes {@code SessionRevoked} without waiting for the broker. Completes once Redis has it; an error
     * when Redis cannot be reached (nothing was revoked).
     */
    Mono<Void> revoke(Jwt jwt) {
        String session = InternalIdentities.sessionId(jwt);
        Instant expiresAt = Objects.requireNonNull(jwt.getExpiresAt(), "a validated token has exp");
        Instant until = keptUntil(jwt);
        Duration ttl = Duration.between(clock.instant(), until);
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            ttl = Duration.ofSeconds(1);
        }
        revoked.put(session, until);
        clear.invalidate(jwt.getTokenValue());
        return redis.opsForValue()
                .set(PREFIX + session, expiresAt.toString(), ttl)
                .doOnError(e -> errors.increment())
                .doOnSuccess(stored -> publish(jwt.getSubject(), session, expiresAt))
                .then();
    }

    private Instant keptUntil(Jwt jwt) {
        return Objects.requireNonNull(jwt.getExpiresAt(), "a validated token has exp")
                .plus(TOKEN_SKEW);
    }

    /** Off the event loop: a producer waits for the topic's metadata when it first sends. */
    private void publish(String user, String session, Instant expiresAt) {
        EventEnvelope<SessionEvent.SessionRevoked> event = EventEnvelope.of(
                new SessionEvent.SessionRevoked(user, session, expiresAt, clock.instant()), "api-gateway");
        Mono.fromFuture(() -> publisher.send(event))
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(sent -> {}, e -> unpublished.increment());
    }

    /** The token belongs to a session that was signed out: a 401, as any refused token. */
    static final class SessionRevokedException extends org.springframework.security.oauth2.jwt.BadJwtException {
        SessionRevokedException() {
            super("the session was signed out: sign in again");
        }
    }
}
