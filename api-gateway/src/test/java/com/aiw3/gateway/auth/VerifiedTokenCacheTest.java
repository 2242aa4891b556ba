package com.aiw3.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final AtomicInteger fullDecodes = new AtomicInteger();

    private ReactiveJwtDecoder decoderExpiringAt(Instant expiry) {
        return token -> {
            fullDecodes.incrementAndGet();
            if (token.startsWith("bad")) {
                return Mono.error(new BadJwtException("signature does not match"));
            }
            return Mono.just(Jwt.withTokenValue(token)
                    .header("alg", "RS256")
                    .subject("user-1")
                    .issuedAt(NOW.minusSeconds(60))
                    .expiresAt(expiry)
                    .build());
        };
    }

    @Test
    void aTokenThatPassedIsServedAgainWithoutAnotherFullDecode() {
        var cache = new VerifiedTokenCache(
                decoderExpiringAt(NOW.plusSeconds(600)), 100, Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

        Jwt first = cache.decode("token-a").block();
        Jwt second = cache.decode("token-a").block();

        assertThat(second).isSameAs(first);
        assertThat(fullDecodes).hasValue(1);
    }

    @Test
    void aTokenPastItsExpiryGoesToTheFullDecoderAgain() {
        var clock = new MutableClock(NOW);
        var cache = new VerifiedTokenCache(decoderExpiringAt(NOW.plusSeconds(30)), 100, Duration.ofMinutes(5), clock);

        cache.decode("token-a").block();
        clock.now = NOW.plusSeconds(31);
        cache.decode("token-a").block();

        assertThat(fullDecodes).hasValue(2);
    }

    @Test
    void aRejectedTokenIsNeverKeptAndIsRejectedEveryTime() {
        var cache = new VerifiedTokenCache(
                decoderExpiringAt(NOW.plusSeconds(600)), 100, Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.decode("bad-token").block())
                    .isInstanceOf(BadJwtException.class)
                    .hasMessageContaining("signature");
        }
        assertThat(fullDecodes).hasValue(2);
    }

    @Test
    void aSizeOfZeroKeepsNothing() {
        var cache = new VerifiedTokenCache(
                decoderExpiringAt(NOW.plusSeconds(600)), 0, Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

        cache.decode("token-a").block();
        cache.decode("token-a").block();

        assertThat(fullDecodes).hasValue(2);
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
