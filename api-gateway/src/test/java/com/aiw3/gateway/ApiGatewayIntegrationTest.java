package com.aiw3.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.testing.TestIdentities;
import com.aiw3.web.Caller;
import com.aiw3.web.IdentityHeaders;
import com.aiw3.web.IdentitySigner;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Flux;
import reactor.netty.http.HttpProtocol;
import reactor.netty.resources.ConnectionProvider;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiGatewayIntegrationTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Client connections seen by the gateway per request path, and the protocol they spoke. */
    static final Map<String, InetSocketAddress> SEEN = new ConcurrentHashMap<>();

    static final Map<String, String> PROTOCOL = new ConcurrentHashMap<>();

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        Downstreams.start();
        gatewayProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    static Map<String, String> gatewayProperties() {
        String rest = "http://127.0.0.1:" + Downstreams.REST.port();
        return Map.ofEntries(
                Map.entry("aiw3.gateway.downstream.upgrade-service", rest),
                Map.entry("aiw3.gateway.downstream.notification-service", rest),
                Map.entry("aiw3.gateway.downstream.audit-service", rest),
                // Nothing listens there: the analytics route shows what a dead downstream looks like.
                Map.entry("aiw3.gateway.downstream.analytics-service", "http://127.0.0.1:9"),
                Map.entry("aiw3.gateway.downstream.sse-gateway", Downstreams.streamBase()),
                Map.entry("aiw3.gateway.jwt.issuer", Tokens.ISSUER),
                Map.entry("aiw3.gateway.jwt.audience", Tokens.AUDIENCE),
                Map.entry("aiw3.gateway.jwt.dev-tokens.enabled", "true"),
                Map.entry("aiw3.gateway.jwt.dev-tokens.signing-key", Tokens.DEV_KEY_FILE),
                Map.entry("aiw3.gateway.session.secure", "false"),
                Map.entry("aiw3.gateway.cors.allowed-origins", "https://app.aiw3.example"),
                Map.entry("aiw3.gateway.limits.max-request-bytes", "4096"),
                Map.entry("aiw3.gateway.limits.sse-streams-per-ip", "50"));
    }

    @TestConfiguration
    static class ConnectionSpy {
        @Bean
        WebFilter connectionSpy() {
            return (exchange, chain) -> {
                String key = exchange.getRequest().getPath().value() + "?"
                        + exchange.getRequest().getURI().getQuery();
                SEEN.put(key, exchange.getRequest().getRemoteAddress());
                if (org.springframework.http.server.reactive.ServerHttpRequestDecorator.getNativeRequest(
                                exchange.getRequest())
                        instanceof reactor.netty.http.server.HttpServerRequest netty) {
                    PROTOCOL.put(key, netty.protocol());
                }
                return chain.filter(exchange);
            };
        }
    }

    @Autowired
    ReactiveStringRedisTemplate redis;

    @LocalServerPort
    int port;

    @BeforeEach
    void stubs() {
        Downstreams.REST.resetAll();
        Downstreams.REST.stubFor(get(urlPathEqualTo("/api/v1/nft/tiers"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[{\"id\":1}]")));
        Downstreams.REST.stubFor(
                post(urlEqualTo("/api/v1/nft/upgrade"))
                        .willReturn(
                                aResponse()
                                        .withStatus(202)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"upgradeId\":\"7b0c1b0e-0000-4000-8000-000000000001\",\"status\":\"awaiting_burn\"}")));
        Downstreams.REST.stubFor(post(urlEqualTo("/api/v1/nft/claim"))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"claimId\":\"" + CLAIM_ID + "\",\"status\":\"qualification_verified\"}")));
        Downstreams.REST.stubFor(get(urlPathEqualTo("/api/v1/nft/claims/" + CLAIM_ID))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"claimId\":\"" + CLAIM_ID + "\",\"status\":\"completed\"}")));
        Downstreams.REST.stubFor(get(urlPathEqualTo("/api/v1/audit/events"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"items\":[]}")));
    }

    private HttpResponse<String> call(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":" + status);
    }

    @Test
    void probesAndMetricsAnswerWithoutAToken() {
        com.aiw3.testing.ServiceProbes.assertOperable(port);
    }

    @Test
    void badTokensAreRefusedWithProblems() {
        for (String token : List.of(
                Tokens.signedByAnotherKey("mallory"),
                Tokens.expired("alice"),
                Tokens.wrongAudience("alice"),
                Tokens.wrongIssuer("alice"),
                "not.a.jwt")) {
            assertProblem(call(request("/api/v1/nft/tiers").header("Authorization", "Bearer " + token)), 401);
        }
        assertProblem(call(request("/api/v1/nft/tiers")), 401);
        assertProblem(
                call(request("/api/v1/audit/events")
                        .header("Authorization", "Bearer " + Tokens.valid("alice", "user"))),
                403);
        assertThat(Downstreams.REST.getAllServeEvents()).isEmpty();
    }

    private static final String ACTIVATION = "0193a7e2-0000-7000-8000-000000000031";

    @Test
    void aBadgeActivationsStepsAreStreamedFromTheSseGatewayWithTheCallersIdentity() {
        assertProblem(call(request("/api/v1/badges/activations/" + ACTIVATION + "/events")), 401);

        HttpResponse<String> stream = call(request("/api/v1/badges/activations/" + ACTIVATION + "/events")
                .header("Authorization", "Bearer " + Tokens.valid("alice", "user"))
                .header("Accept", "text/event-stream"));

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(stream.body())
                .contains("\"status\":\"badge_verified\"", "\"status\":\"activated\"", "\"user\":\"alice\"");
    }

    @Test
    void badgesAreRoutedToUpgradeServiceWithTheCallersIdentityAndNeedAToken() {
        Downstreams.REST.stubFor(get(urlPathEqualTo("/api/v1/badges"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"owned\":[]}")));
        Downstreams.REST.stubFor(post(urlEqualTo("/api/v1/badges/first-trade/activate"))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"badgeCode\":\"first-trade\",\"status\":\"requested\"}")));
        Downstreams.REST.stubFor(get(urlPathEqualTo("/api/v1/badges/activations/" + ACTIVATION))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"activated\"}")));

        assertProblem(call(request("/api/v1/badges")), 401);
        assertProblem(
                call(request("/api/v1/badges/first-trade/activate").POST(HttpRequest.BodyPublishers.noBody())), 401);
        assertThat(Downstreams.REST.getAllServeEvents()).isEmpty();

        String token = Tokens.valid("alice", "user");
        HttpResponse<String> list = call(request("/api/v1/badges").header("Authorization", "Bearer " + token));
        HttpResponse<String> activated = call(request("/api/v1/badges/first-trade/activate")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).isEqualTo("{\"owned\":[]}");
        assertThat(activated.statusCode()).isEqualTo(202);
        HttpResponse<String> activation =
                call(request("/api/v1/badges/activations/" + ACTIVATION).header("Authorization", "Bearer " + token));
        assertThat(activation.statusCode()).isEqualTo(200);
        assertThat(activation.body()).isEqualTo("{\"status\":\"activated\"}");
        LoggedRequest seen = Downstreams.REST
                .findAll(postRequestedFor(urlEqualTo("/api/v1/badges/first-trade/activate")))
                .getLast();
        assertThat(Downstreams.IDENTITIES
                        .verify(seen.getHeader(IdentityHeaders.IDENTITY))
                        .userId())
                .isEqualTo("alice");
    }

    @Test
    void theInboxIsRoutedToNotificationServiceWithTheCallersIdentityAndNeedsAToken() {
        String id = "7b0c1b0e-0000-4000-8000-00000000a001";
        Downstreams.REST.stubFor(get(urlPathEqualTo("/api/v1/notifications"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"items\":[],\"nextCursor\":null}")));
        Downstreams.REST.stubFor(get(urlEqualTo("/api/v1/notifications/unread-count"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"unread\":2,\"unseen\":1}")));
        Downstreams.REST.stubFor(
                com.github.tomakehurst.wiremock.client.WireMock.patch(urlEqualTo("/api/v1/notifications/" + id))
                        .willReturn(aResponse()
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"id\":\"" + id + "\"}")));
        Downstreams.REST.stubFor(post(urlEqualTo("/api/v1/notifications/mark-all-read"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"markedRead\":2,\"unread\":0,\"unseen\":0}")));

        assertProblem(call(request("/api/v1/notifications/unread-count")), 401);
        assertProblem(
                call(request("/api/v1/notifications/" + id)
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"read\":true}"))),
                401);
        assertThat(Downstreams.REST.getAllServeEvents()).isEmpty();

        String token = Tokens.valid("alice", "user");
        HttpResponse<String> feed =
                call(request("/api/v1/notifications?unread=true&limit=5").header("Authorization", "Bearer " + token));
        HttpResponse<String> count =
                call(request("/api/v1/notifications/unread-count").header("Authorization", "Bearer " + token));
        HttpResponse<String> read = call(request("/api/v1/notifications/" + id)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"read\":true}")));
        HttpResponse<String> all = call(request("/api/v1/notifications/mark-all-read")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(List.of(feed.statusCode(), count.statusCode(), read.statusCode(), all.statusCode()))
                .containsOnly(200);
        assertThat(count.body()).isEqualTo("{\"unread\":2,\"unseen\":1}");
        LoggedRequest patched = Downstreams.REST
                .findAll(com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(
                        urlEqualTo("/api/v1/notifications/" + id)))
                .getLast();
        assertThat(patched.getBodyAsString()).isEqualTo("{\"read\":true}");
        assertThat(Downstreams.IDENTITIES
                        .verify(patched.getHeader(IdentityHeaders.IDENTITY))
                        .userId())
                .isEqualTo("alice");
        Downstreams.REST.verify(getRequestedFor(urlEqualTo("/api/v1/notifications?unread=true&limit=5")));
    }

    @Test
    void aValidlySignedTokenWithoutExpiryIsRefused() {
        HttpResponse<String> response =
                call(request("/api/v1/nft/tiers").header("Authorization", "Bearer " + Tokens.withoutExpiry("alice")));

        assertProblem(response, 401);
        assertThat(Downstreams.REST.getAllServeEvents()).isEmpty();
    }

    @Test
    void aRoutedRequestCarriesTheGatewaysSpanAsTheParentOfTheServicesSpanInTheCallersTrace() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        HttpResponse<String> response = call(request("/api/v1/nft/tiers?traced=1")
                .header("Authorization", "Bearer " + Tokens.valid("tracer", "user"))
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01"));

        assertThat(response.statusCode()).isEqualTo(200);
        String forwarded = Downstreams.REST
                .findAll(getRequestedFor(urlEqualTo("/api/v1/nft/tiers?traced=1")))
                .getLast()
                .getHeader("traceparent");
        assertThat(forwarded).matches("00-" + traceId + "-[0-9a-f]{16}-01");
        assertThat(forwarded).as("the gateway's own span, not the caller's").doesNotContain(callerSpan);

        call(request("/api/v1/nft/tiers?traced=2").header("Authorization", "Bearer " + Tokens.valid("tracer", "user")));
        assertThat(Downstreams.REST
                        .findAll(getRequestedFor(urlEqualTo("/api/v1/nft/tiers?traced=2")))
                        .getLast()
                        .getHeader("traceparent"))
                .as("a request without a trace starts one at the gateway")
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
                .doesNotContain(traceId);
    }

    @Test
    void servicesReceiveTheTokensSignedIdentityNeverAForgedOneNorTheTokenNorTheSessionCookie() {
        String token = Tokens.valid("alice", "user");
        String forged = IdentitySigner.fromJwk(
                        TestIdentities.foreignKeys().signingKey(), Duration.ofMinutes(5), Clock.systemUTC())
                .sign("bob", null, List.of("operator"), Instant.now().plusSeconds(600), "forged")
                .value();
        HttpResponse<String> response = call(request("/api/v1/nft/tiers")
                .header("Authorization", "Bearer " + token)
                .header(IdentityHeaders.IDENTITY, forged)
                .header("X-AIW3-User-Id", "bob")
                .header("X-AIW3-Roles", "operator")
                .header("Cookie", "aiw3_session=" + token + "; theme=dark"));

        assertThat(response.statusCode()).isEqualTo(200);
        LoggedRequest seen = Downstreams.REST
                .findAll(getRequestedFor(urlEqualTo("/api/v1/nft/tiers")))
                .getLast();
        Caller caller = Downstreams.IDENTITIES.verify(seen.getHeader(IdentityHeaders.IDENTITY));
        assertThat(caller.userId()).isEqualTo("alice");
        assertThat(caller.roles()).containsExactly("user");
        assertThat(caller.wallet()).hasValue("Wa11etalice");
        assertThat(caller.expiresAt()).isEqualTo(Tokens.expiryOf(token));
        assertThat(caller.sessionId()).isNotBlank();
        assertThat(seen.containsHeader("Authorization")).isFalse();
        assertThat(seen.containsHeader("X-AIW3-User-Id")).isFalse();
        assertThat(seen.containsHeader("X-AIW3-Roles")).isFalse();
        assertThat(seen.getHeader("Cookie")).isEqualTo("theme=dark");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void aStreamSignedInWithTheSessionCookieDoesNotPassTheCookieOn() {
        HttpResponse<String> response = call(request("/api/events/stream?events=1&every=10")
                .header("Cookie", "aiw3_session=" + Tokens.valid("cookie-user", "user"))
                .header("Accept", "text/event-stream"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Downstreams.STREAM_REQUESTS.getLast())
                .containsEntry("user", "cookie-user")
                .containsEntry("authorization", "null")
                .containsEntry("cookie", "null");
    }

    @Test
    void manyConcurrentStreamsAndCallsAreNotShedByABulkhead() {
        String token = Tokens.valid("crowd", "user");
        var client = reactor.netty.http.client.HttpClient.create(ConnectionProvider.create("crowd", 60))
                .baseUrl("http://127.0.0.1:" + port)
                .headers(h -> h.add("Authorization", "Bearer " + token));
        var streams = Flux.range(0, 40)
                .flatMap(
                        i -> client.get()
                                .uri("/api/events/stream?events=3&every=300")
                                .responseSingle((response, body) -> body.asString()
                                        .map(text -> response.status().code())),
                        40);
        var calls = Flux.range(0, 40)
                .flatMap(
                        i -> client.get()
                                .uri("/api/v1/nft/tiers")
                                .responseSingle((response, body) -> body.asString()
                                        .map(text -> response.status().code())),
                        40);

        assertThat(Flux.merge(streams, calls).collectList().block(Duration.ofSeconds(30)))
                .hasSize(80)
                .containsOnly(200);
    }

    @Test
    void streamsBeyondThePerAddressCapAreRefusedWith429() {
        // The count is shared through Redis by every gateway on this address: start from none held.
        redis.delete("sse:ip:127.0.0.1").block();
        var client = reactor.netty.http.client.HttpClient.create(ConnectionProvider.create("cap", 70))
                .baseUrl("http://127.0.0.1:" + port)
                .headers(h -> h.add("Authorization", "Bearer " + Tokens.valid("capped", "user")));
        List<Integer> statuses = Flux.range(0, 60)
                .flatMap(
                        i -> client.get()
                                // Long enough that every stream is still open when the last one
                                // arrives, even on a busy machine (3 s was not, once in CI).
                                .uri("/api/events/stream?events=10&every=1000")
                                .responseSingle((response, body) -> body.asString()
                                        .defaultIfEmpty("")
                                        .map(text -> response.status().code())),
                        60)
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(50);
        assertThat(statuses.stream().filter(s -> s == 429)).hasSize(10);
    }

    @Test
    void broadcastsReachNotificationServiceOnlyFromOperators() {
        Downstreams.REST.stubFor(post(urlEqualTo("/api/v1/notifications/broadcasts"))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"broadcastId\":\"7b0c1b0e-0000-4000-8000-00000000b001\"}")));
        String body = "{\"kind\":\"feature\",\"message\":\"New pairs\"}";

        assertProblem(
                call(request("/api/v1/notifications/broadcasts")
                        .header("Authorization", "Bearer " + Tokens.valid("mallory", "user"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))),
                403);
        assertThat(Downstreams.REST.findAll(postRequestedFor(urlEqualTo("/api/v1/notifications/broadcasts"))))
                .isEmpty();

        HttpResponse<String> sent = call(request("/api/v1/notifications/broadcasts")
                .header("Authorization", "Bearer " + Tokens.valid("ops", "operator"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "maintenance-1")
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        LoggedRequest forwarded = Downstreams.REST
                .findAll(postRequestedFor(urlEqualTo("/api/v1/notifications/broadcasts")))
                .getLast();
        assertThat(forwarded.getBodyAsString()).isEqualTo(body);
        assertThat(forwarded.getHeader("Idempotency-Key")).isEqualTo("maintenance-1");
        assertThat(Downstreams.IDENTITIES
                        .verify(forwarded.getHeader(IdentityHeaders.IDENTITY))
                        .roles())
                .contains("operator");
    }

    @Test
    void operatorsReachAudit() {
        assertThat(call(request("/api/v1/audit/events")
                                .header("Authorization", "Bearer " + Tokens.valid("ops", "operator")))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void oversizedAndMalformedBodiesAreProblems() {
        String big = "{\"targetTierId\":2,\"pad\":\"" + "x".repeat(5000) + "\"}";
        assertProblem(
                call(request("/api/v1/nft/upgrade")
                        .header("Authorization", "Bearer " + Tokens.valid("big-" + UUID.randomUUID(), "user"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(big))),
                413);
        HttpResponse<String> malformed = call(request("/dev/token")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":")));
        assertProblem(malformed, 400);
        assertProblem(
                call(request("/dev/token")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"a b\"}"))),
                400);
    }

    @Test
    void theDevTokenEndpointIssuesTokensTheGatewayAccepts() {
        HttpResponse<String> issued = call(request("/dev/token")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"dev-1\",\"roles\":[\"user\"]}")));
        assertThat(issued.statusCode()).isEqualTo(200);
        String token = issued.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");

        assertThat(call(request("/api/v1/nft/tiers").header("Authorization", "Bearer " + token))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aDeadDownstreamIsA503ProblemQuicklyNotAHang() {
        long start = System.nanoTime();
        HttpResponse<String> response = call(
                request("/api/v1/analytics/levels").header("Authorization", "Bearer " + Tokens.valid("alice", "user")));

        assertProblem(response, 503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theUpgradeRateLimitHoldsAcrossTwoGatewayInstancesSharingRedis() {
        String user = "limited-" + UUID.randomUUID();
        String token = Tokens.valid(user, "user");
        ConfigurableApplicationContext second = new SpringApplicationBuilder(ApiGatewayApplication.class)
                // Command-line arguments outrank application.yml, as the test's dynamic properties do.
                .run(java.util.stream.Stream.concat(
                                java.util.stream.Stream.of("--server.port=0"),
                                gatewayProperties().entrySet().stream()
                                        .map(e -> "--" + e.getKey() + "=" + e.getValue()))
                        .toArray(String[]::new));
        try {
            int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> last = null;
            for (int i = 0; i < 7; i++) {
                int target = i % 2 == 0 ? port : secondPort;
                last = call(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target + "/api/v1/nft/upgrade"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"targetTierId\":2}")));
                statuses.add(last.statusCode());
            }
            assertThat(statuses).containsExactly(202, 202, 202, 202, 202, 429, 429);
            assertProblem(last, 429);
            assertThat(Integer.parseInt(last.headers().firstValue("Retry-After").orElseThrow()))
                    .isBetween(1, 60);
        } finally {
            second.close();
        }
    }

    @Test
    void anEncodedOrAliasedUpgradePathCountsAgainstTheSameLimitAsThePlainOne() {
        String token = Tokens.valid("encoded-" + UUID.randomUUID(), "user");
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        // All of these reach upgrade-service's upgrade endpoint: the routes match on the decoded path.
        for (String path : List.of(
                "/api/v1/nft/upgrad%65",
                "/api/v1/nft/upgrade",
                "/api/v1/nft/%75pgrade",
                "/api/nft/upgrad%65",
                "/api/v1/nft/upgrade",
                "/api/v1/nft/upgrad%65")) {
            last = call(request(path)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"targetTierId\":2}")));
            statuses.add(last.statusCode());
        }

        assertThat(statuses.subList(0, 5)).doesNotContain(429);
        assertProblem(last, 429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void everyStreamPathAliasAndEncodingCountsAgainstTheStreamCap() {
        // As if this address held the 50 streams it may: any further stream is refused, whatever its spelling.
        redis.opsForValue().set("sse:ip:127.0.0.1", "50", Duration.ofMinutes(1)).block();
        try {
            for (String path : List.of(
                    "/api/events/stream?events=1&every=10",
                    "/api/nft/upgrade/7b0c1b0e-0000-4000-8000-000000000001/events",
                    "/api/v1/nft/upgrade/7b0c1b0e-0000-4000-8000-000000000001/event%73",
                    "/api/v1/nft/upgrade/7b0c1b0e-0000-4000-8000-000000000001/events",
                    "/api/v1/badges/activations/7b0c1b0e-0000-4000-8000-000000000001/events")) {
                HttpResponse<String> response = call(request(path)
                        .header("Authorization", "Bearer " + Tokens.valid("capped-alias", "user"))
                        .header("Accept", "text/event-stream"));
                assertThat(response.statusCode()).as(path).isEqualTo(429);
                assertProblem(response, 429);
            }
        } finally {
            redis.delete("sse:ip:127.0.0.1").block();
        }
    }

    @Test
    void aStreamPassesThroughUnbufferedAndOutlivesTheRestTimeout() {
        // 24 events, one every 500 ms: 12 s, longer than the 10 s REST response timeout.
        List<Long> arrivals = new ArrayList<>();
        long start = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> response;
        try {
            response = HTTP.send(
                    request("/api/events/stream?events=24&every=500")
                            .header("Authorization", "Bearer " + Tokens.valid("alice", "user"))
                            .header("Accept", "text/event-stream")
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        response.body()
                .filter(line -> line.startsWith("data:"))
                .forEach(line -> arrivals.add(System.nanoTime() - start));

        assertThat(arrivals).hasSize(24);
        assertThat(Duration.ofNanos(arrivals.getFirst()))
                .as("first event not held back")
                .isLessThan(Duration.ofSeconds(2));
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(Duration.ofNanos(arrivals.get(i) - arrivals.get(i - 1)))
                    .as("gap before event " + i)
                    .isLessThan(Duration.ofMillis(1500));
        }
        assertThat(Downstreams.STREAM_REQUESTS.getLast())
                .containsEntry("user", "alice")
                .containsEntry("authorization", "null");
    }

    @Test
    void oneHttp2ConnectionCarriesAStreamAndRestCallsAtOnce() {
        String token = Tokens.valid("h2-user", "user");
        var client = reactor.netty.http.client.HttpClient.create(ConnectionProvider.create("one-connection", 1))
                .protocol(HttpProtocol.H2C)
                .baseUrl("http://127.0.0.1:" + port)
                .headers(h -> h.add("Authorization", "Bearer " + token));

        var stream = client.headers(h -> h.add("Accept", "text/event-stream"))
                .get()
                .uri("/api/events/stream?events=10&every=200")
                .responseContent()
                .asString()
                .collectList();
        var rest = Flux.range(0, 3)
                .delayElements(Duration.ofMillis(300))
                .concatMap(i -> client.get()
                        .uri("/api/v1/nft/tiers?call=" + i)
                        .responseSingle((r, body) ->
                                body.asString().map(text -> r.status().code())))
                .collectList();
        var results = reactor.core.publisher.Mono.zip(stream, rest).block(Duration.ofSeconds(30));

        assertThat(String.join("", results.getT1())).contains("\"n\":9");
        assertThat(results.getT2()).containsExactly(200, 200, 200);
        Set<InetSocketAddress> connections = new java.util.HashSet<>();
        SEEN.forEach((path, address) -> {
            if (path.contains("events=10&every=200") || path.contains("call=")) {
                connections.add(address);
                assertThat(PROTOCOL.get(path)).as(path).isEqualTo("HTTP/2.0");
            }
        });
        assertThat(connections).as("client ports seen by the gateway").hasSize(1);
    }

    @Test
    void aPostAcceptingAnEventStreamCreatesTheUpgradeAndStreamsItsProgress() {
        HttpResponse<String> streamed = call(request("/api/v1/nft/upgrade")
                .header("Authorization", "Bearer " + Tokens.valid("streamer-" + UUID.randomUUID(), "user"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .header("Idempotency-Key", "k-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"targetTierId\":2}")));

        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(streamed.body())
                .contains(
                        "\"status\":\"initializing\"",
                        "\"status\":\"qualification_verified\"",
                        "\"status\":\"awaiting_burn\"")
                .contains("7b0c1b0e-0000-4000-8000-000000000001");
        Downstreams.REST.verify(
                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/api/v1/nft/upgrade"))
                        .withHeader("Idempotency-Key", equalTo("k-1")));

        HttpResponse<String> plain = call(request("/api/v1/nft/upgrade")
                .header("Authorization", "Bearer " + Tokens.valid("plain-" + UUID.randomUUID(), "user"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"targetTierId\":2}")));
        assertThat(plain.statusCode()).isEqualTo(202);
        assertThat(plain.body()).startsWith("{\"upgradeId\"");
    }

    @Test
    void aPostAcceptingAnEventStreamCreatesTheUpgradeInTheCallersTrace() {
        String traceId = "5cf92f3577b34da6a3ce929d0e0e4737";
        HttpResponse<String> streamed = call(request("/api/v1/nft/upgrade")
                .header("Authorization", "Bearer " + Tokens.valid("streamer-" + UUID.randomUUID(), "user"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .header("Idempotency-Key", "k-traced")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b8-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"targetTierId\":2}")));

        assertThat(streamed.statusCode()).isEqualTo(200);
        String forwarded = Downstreams.REST
                .findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                                urlEqualTo("/api/v1/nft/upgrade"))
                        .withHeader("Idempotency-Key", equalTo("k-traced")))
                .getLast()
                .getHeader("traceparent");
        assertThat(forwarded).matches("00-" + traceId + "-[0-9a-f]{16}-01");
    }

    private static final String CLAIM_ID = "7b0c1b0e-0000-4000-8000-0000000000c1";

    @Test
    void aClaimIsRoutedToUpgradeServiceWithTheCallersIdentityAndItsPostStreamsItsProgress() {
        String user = "claimer-" + UUID.randomUUID();
        assertThat(call(request("/api/v1/nft/claim").POST(HttpRequest.BodyPublishers.noBody()))
                        .statusCode())
                .isEqualTo(401);

        HttpResponse<String> plain = call(request("/api/v1/nft/claim")
                .header("Authorization", "Bearer " + Tokens.valid(user, "user"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(plain.statusCode()).isEqualTo(202);
        assertThat(plain.body()).contains(CLAIM_ID);
        HttpResponse<String> read = call(request("/api/v1/nft/claims/" + CLAIM_ID)
                .header("Authorization", "Bearer " + Tokens.valid(user, "user"))
                .GET());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Downstreams.REST
                        .findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                                urlPathEqualTo("/api/v1/nft/claims/" + CLAIM_ID)))
                        .getFirst()
                        .getHeader(IdentityHeaders.IDENTITY))
                .satisfies(identity -> assertThat(Downstreams.userOf(identity)).isEqualTo(user));

        HttpResponse<String> streamed = call(request("/api/v1/nft/claim")
                .header("Authorization", "Bearer " + Tokens.valid(user, "user"))
                .header("Accept", "text/event-stream")
                .header("Idempotency-Key", "claim-1")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(streamed.headers().firstValue("X-Claim-Id")).hasValue(CLAIM_ID);
        assertThat(streamed.body())
                .contains("\"status\":\"qualification_verified\"", "\"status\":\"completed\"")
                .contains("\"user\":\"" + user + "\"");
        Downstreams.REST.verify(
                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/api/v1/nft/claim"))
                        .withHeader("Idempotency-Key", equalTo("claim-1")));
    }

    @Test
    void aBurstOfClaimsBeyondTheLimitIsRefusedWith429AndNeverReachesUpgradeService() {
        String user = "claim-burst-" + UUID.randomUUID();
        String token = Tokens.valid(user, "user");
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 7; i++) {
            last = call(request("/api/v1/nft/claim")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()));
            statuses.add(last.statusCode());
        }

        assertThat(statuses).containsExactly(202, 202, 202, 202, 202, 429, 429);
        assertProblem(last, 429);
        assertThat(Integer.parseInt(last.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1, 60);
        assertThat(Downstreams.REST.findAll(postRequestedFor(urlEqualTo("/api/v1/nft/claim"))).stream()
                        .filter(r -> user.equals(Downstreams.userOf(r.getHeader(IdentityHeaders.IDENTITY)))))
                .as("claims that reached upgrade-service")
                .hasSize(5);
        // The claim bucket is the claim's own: the same user's upgrade is still allowed.
        assertThat(call(request("/api/v1/nft/upgrade")
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"targetTierId\":2}")))
                        .statusCode())
                .isEqualTo(202);
    }

    @Test
    void browsersStreamWithAnHttpOnlyCookieWhichIsNeverEnoughToWrite() {
        HttpResponse<String> session = call(request("/api/v1/auth/session")
                .header("Authorization", "Bearer " + Tokens.valid("cookie-user", "user"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(session.statusCode()).isEqualTo(204);
        String setCookie = session.headers().firstValue("Set-Cookie").orElseThrow();
        // Cookie attribute names are case-insensitive (RFC 6265); Netty writes "HTTPOnly".
        assertThat(setCookie)
                .startsWith("aiw3_session=")
                .containsIgnoringCase("HttpOnly")
                .contains("SameSite=Strict", "Path=/");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> stream =
                call(request("/api/events/stream?events=2&every=50").header("Cookie", cookie));
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("\"n\":1");

        assertProblem(
                call(request("/api/v1/nft/upgrade")
                        .header("Cookie", cookie)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"targetTierId\":2}"))),
                401);
    }

    @Test
    void corsAllowsOnlyTheConfiguredFrontend() {
        HttpResponse<String> allowed = call(request("/api/v1/nft/tiers")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.aiw3.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization"));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.aiw3.example");

        HttpResponse<String> refused = call(request("/api/v1/nft/tiers")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET"));
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void aFrontendOnAnotherOriginMaySendTheClientsHeadersAndReadTheProcessHeaders() {
        HttpResponse<String> preflight = call(request("/api/v1/nft/upgrade")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.aiw3.example")
                .header("Access-Control-Request-Method", "POST")
                .header(
                        "Access-Control-Request-Headers",
                        "authorization,cache-control,content-type,idempotency-key,last-event-id"));
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight
                        .headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElse("")
                        .toLowerCase())
                .contains("cache-control", "idempotency-key", "last-event-id", "authorization");

        HttpResponse<String> answer = call(request("/api/v1/nft/tiers").header("Origin", "https://app.aiw3.example"));
        assertThat(answer.headers().allValues("Access-Control-Expose-Headers").toString())
                .contains("X-Upgrade-Id", "Idempotent-Replayed", "Retry-After", "Location");
    }
}
