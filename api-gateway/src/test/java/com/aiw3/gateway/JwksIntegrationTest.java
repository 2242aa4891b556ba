package com.aiw3.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Production's way of validating tokens: the identity provider's key set (JWKS) from a URL, served here by a
 * small server that counts its fetches and can be made to hang.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JwksIntegrationTest {

    private static final Duration MIN_INTERVAL = Duration.ofSeconds(2);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final KeyPair SIGNING = keyPair();
    /** The key ids the identity provider publishes (all for the same key pair). */
    private static final Map<String, Boolean> PUBLISHED = new ConcurrentHashMap<>(Map.of("idp-1", true));

    private static final AtomicInteger FETCHES = new AtomicInteger();
    private static final AtomicLong LAST_FETCH = new AtomicLong();
    private static final AtomicBoolean HANG = new AtomicBoolean();
    private static final DisposableServer IDP = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(routes -> routes.get("/jwks", (request, response) -> {
                FETCHES.incrementAndGet();
                LAST_FETCH.set(System.nanoTime());
                if (HANG.get()) {
                    return Mono.never();
                }
                var keys = PUBLISHED.keySet().stream()
                        .map(kid -> (com.nimbusds.jose.jwk.JWK) new RSAKey.Builder((RSAPublicKey) SIGNING.getPublic())
                                .keyID(kid)
                                .build())
                        .toList();
                return response.header("Content-Type", "application/json")
                        .sendString(Mono.just(new JWKSet(keys).toString()));
            }))
            .bindNow();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Downstreams.start();
        String rest = "http://127.0.0.1:" + Downstreams.REST.port();
        for (String service : List.of(
                "upgrade-service", "notification-service", "audit-service", "analytics-service", "sse-gateway")) {
            registry.add("aiw3.gateway.downstream." + service, () -> rest);
        }
        registry.add("aiw3.gateway.jwt.issuer", () -> Tokens.ISSUER);
        registry.add("aiw3.gateway.jwt.audience", () -> Tokens.AUDIENCE);
        registry.add("aiw3.gateway.jwt.jwk-set-uri", () -> "http://127.0.0.1:" + IDP.port() + "/jwks");
        registry.add("aiw3.gateway.jwt.jwks-min-interval", () -> MIN_INTERVAL.toString());
        registry.add("aiw3.gateway.jwt.jwks-timeout", () -> "1s");
        // Every request below goes to the decoder: none is answered from the verified tokens.
        registry.add("aiw3.gateway.jwt.verified-tokens", () -> "0");
    }

    @AfterAll
    static void stopIdp() {
        IDP.disposeNow();
    }

    @LocalServerPort
    int port;

    @BeforeEach
    void stubs() {
        Downstreams.REST.stubFor(get(urlPathEqualTo("/api/v1/nft/tiers"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[{\"id\":1}]")));
    }

    @Test
    void aBurstOfTokensNamingUnknownKeysFetchesTheKeySetAtMostOncePerInterval() {
        assertThat(status(token("idp-1", "alice"))).isEqualTo(200);

        int before = FETCHES.get();
        long start = System.nanoTime();
        List<Integer> statuses = Flux.range(0, 40)
                .flatMap(i -> Mono.fromCallable(() -> status(token("made-up-" + i, "mallory")))
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()))
                .collectList()
                .block(Duration.ofSeconds(60));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(statuses).hasSize(40).containsOnly(401);
        long intervals = elapsed.toNanos() / MIN_INTERVAL.toNanos() + 1;
        assertThat(FETCHES.get() - before)
                .as("key set fetches during %s of unknown key ids", elapsed)
                .isLessThanOrEqualTo((int) intervals);
        assertThat(status(token("idp-1", "alice"))).isEqualTo(200);
    }

    @Test
    void aRotatedInKeyIsAcceptedOnceTheIntervalHasPassed() {
        PUBLISHED.put("idp-rotated", true);

        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> status(token("idp-rotated", "alice")) == 200);
    }

    @Test
    void aHangingKeyEndpointTimesOutWhileKnownKeysKeepWorking() {
        assertThat(status(token("idp-1", "alice"))).isEqualTo(200);
        // Past the last fetch's interval, so the next unknown key id fetches again.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> System.nanoTime() - LAST_FETCH.get() > MIN_INTERVAL.toNanos() + 100_000_000L);
        HANG.set(true);
        try {
            int before = FETCHES.get();
            long start = System.nanoTime();
            HttpResponse<String> refused = call(token("unknown-while-hanging", "mallory"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(FETCHES.get()).as("a fetch was attempted").isGreaterThan(before);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(took).as("answered within the fetch timeout").isLessThan(Duration.ofSeconds(4));
            long known = System.nanoTime();
            assertThat(status(token("idp-1", "alice"))).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - known)).isLessThan(Duration.ofSeconds(2));
        } finally {
            HANG.set(false);
        }
    }

    private int status(String token) {
        return call(token).statusCode();
    }

    private HttpResponse<String> call(String token) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/nft/tiers"))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String token(String kid, String user) {
        RSAKey key = new RSAKey.Builder((RSAPublicKey) SIGNING.getPublic())
                .privateKey((RSAPrivateKey) SIGNING.getPrivate())
                .keyID(kid)
                .build();
        Instant now = Instant.now();
        return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)))
                .encode(JwtEncoderParameters.from(
                        JwsHeader.with(SignatureAlgorithm.RS256).keyId(kid).build(),
                        JwtClaimsSet.builder()
                                .issuer(Tokens.ISSUER)
                                .audience(List.of(Tokens.AUDIENCE))
                                .subject(user)
                                .issuedAt(now)
                                .expiresAt(now.plusSeconds(600))
                                .claim("roles", List.of("user"))
                                .build()))
                .getTokenValue();
    }

    private static KeyPair keyPair() {
        try {
            var generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
