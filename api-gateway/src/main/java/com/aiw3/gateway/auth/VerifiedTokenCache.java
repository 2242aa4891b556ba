package com.aiw3.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * A client sends the same token with every request until it expires, and checking its RS256 signature
 * and parsing its JSON again each time was about 5% of a proxied request's CPU
 * (GatewayOverheadBenchmark). A token that passed every check is kept, keyed by its exact text (the same
 * text carries the same signature), and is served again only while it has not expired: an expired or
 * never-seen token always goes to the full decoder, which owns every rejection and its message.
 */
final class VerifiedTokenCache implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder decoder;
    private final Cache<String, Jwt> verified;
    private final Clock clock;
    // Caffeine evicts over its size asynchronously, so a size of 0 would still serve a token for a moment.
    private final boolean keeps;

    VerifiedTokenCache(ReactiveJwtDecoder decoder, long maximumSize, Duration keepFor, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
        this.keeps = maximumSize > 0;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(keepFor)
                .build();
    }

    @Override
    public Mono<Jwt> decode(String token) {
        if (!keeps) {
            return decoder.decode(token);
        }
        Jwt known = verified.getIfPresent(token);
        if (known != null && unexpired(known)) {
            return Mono.just(known);
        }
        if (known != null) {
            verified.invalidate(token);
        }
        return decoder.decode(token).doOnNext(jwt -> {
            if (unexpired(jwt)) {
                verified.put(token, jwt);
            }
        });
    }

    private boolean unexpired(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        return expiresAt != null && clock.instant().isBefore(expiresAt);
    }
}
