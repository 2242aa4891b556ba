package com.aiw3.gateway.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The identity provider's signing keys, fetched without blocking a request thread and kept. A token's key is
 * looked up in the kept set; the set is fetched again when it is older than {@code refresh} (in the background:
 * requests keep using the keys they know) or when a token names a key it does not hold (a key rotation), but
 * never more often than once per {@code minInterval}, so tokens with made-up key ids cannot make the gateway
 * hammer the identity provider. A fetch gives up after {@code timeout}; a failed fetch keeps the keys known so
 * far. Without any keys no token verifies: 401. Spring Security's own remote key source refetches for every unknown key id, with no timeout.
 */
final class RemoteJwks implements Function<SignedJWT, Flux<JWK>> {

    private static final Logger log = LoggerFactory.getLogger(RemoteJwks.class);
    /** A key set is a few kilobytes; anything far larger is not one. */
    private static final int MAX_BYTES = 512 * 1024;

    private final URI uri;
    private final HttpClient http;
    private final long refreshNanos;
    private final long minIntervalNanos;
    private final Duration timeout;

    private final Object lock = new Object();
    /** The last key set fetched, or null before the first. Guarded by {@link #lock}, as are the fields below. */
    private @Nullable JWKSet keys;

    private long fetchedAt;
    private long attemptedAt;
    private boolean attempted;
    private @Nullable Mono<JWKSet> inFlight;

    RemoteJwks(URI uri, Duration refresh, Duration minInterval, Duration timeout) {
        this.uri = uri;
        this.refreshNanos = refresh.toNanos();
        this.minIntervalNanos = minInterval.toNanos();
        this.timeout = timeout;
        // A pool of its own: no other client's connections can keep the key fetch waiting.
        this.http = HttpClient.create(ConnectionProvider.builder("jwks")
                        .maxConnections(2)
                        .pendingAcquireTimeout(timeout)
                        .build())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .responseTimeout(timeout);
    }

    @Override
    public Flux<JWK> apply(SignedJWT jwt) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()));
        return keysFor(selector).flatMapIterable(selector::select);
    }

    private Mono<JWKSet> keysFor(JWKSelector selector) {
        Mono<JWKSet> refreshInBackground = null;
        Mono<JWKSet> answer;
        synchronized (lock) {
            long now = System.nanoTime();
            JWKSet current = keys;
            if (current != null && !selector.select(current).isEmpty()) {
                answer = Mono.just(current);
                if (now - fetchedAt >= refreshNanos && inFlight == null && mayFetch(now)) {
                    refreshInBackground = startFetch(now);
                }
            } else if (inFlight != null) {
                answer = inFlight;
            } else if (mayFetch(now)) {
                answer = startFetch(now);
            } else {
                answer = Mono.justOrEmpty(keys);
            }
        }
        if (refreshInBackground != null) {
            refreshInBackground.subscribe(set -> {}, e -> {});
        }
        return answer;
    }

    private boolean mayFetch(long now) {
        return !attempted || now - attemptedAt >= minIntervalNanos;
    }

    /** Called holding the lock. */
    private Mono<JWKSet> startFetch(long now) {
        attempted = true;
        attemptedAt = now;
        Mono<JWKSet> fetch = fetch().doOnNext(set -> {
                    synchronized (lock) {
                        keys = set;
                        fetchedAt = System.nanoTime();
                    }
                })
                .onErrorResume(e -> {
                    log.warn("could not fetch the signing keys from {}: {}", uri, e.toString());
                    synchronized (lock) {
                        return Mono.justOrEmpty(keys);
                    }
                })
                .doFinally(signal -> {
                    synchronized (lock) {
                        inFlight = null;
                    }
                })
                .cache();
        inFlight = fetch;
        return fetch;
    }

    private Mono<JWKSet> fetch() {
        return http.get()
                .uri(uri)
                .responseSingle((response, body) -> response.status().code() == 200
                        ? body.asByteArray()
                        : Mono.error(new IllegalStateException(
                                "status " + response.status().code())))
                .timeout(timeout)
                .map(bytes -> {
                    if (bytes.length > MAX_BYTES) {
                        throw new IllegalStateException("a key set of " + bytes.length + " bytes");
                    }
                    try {
                        return JWKSet.parse(new String(bytes, StandardCharsets.UTF_8));
                    } catch (ParseException e) {
                        throw new IllegalStateException("not a key set: " + e.getMessage(), e);
                    }
                });
    }
}
