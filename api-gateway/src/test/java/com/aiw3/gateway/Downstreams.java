package com.aiw3.gateway;

import com.aiw3.testing.TestIdentities;
import com.aiw3.web.IdentityHeaders;
import com.aiw3.web.IdentityVerifier;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/** The gateway's downstreams for tests: WireMock for REST services, a streaming server for sse-gateway. */
final class Downstreams {

    static final WireMockServer REST =
            new WireMockServer(WireMockConfiguration.options().dynamicPort());
    /** The verified user, Authorization and Cookie headers the stream server saw, one map per request. */
    static final List<Map<String, String>> STREAM_REQUESTS = new CopyOnWriteArrayList<>();

    static DisposableServer streams;

    private Downstreams() {}

    static synchronized void start() {
        if (streams != null) {
            return;
        }
        REST.start();
        streams = HttpServer.create()
                // Its own event loops: closing a gateway context disposes Reactor Netty's global ones.
                .runOn(reactor.netty.resources.LoopResources.create("test-streams", 2, true))
                .host("127.0.0.1")
                .port(0)
                .protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                .route(routes -> routes.get("/api/events/stream", (request, response) -> {
                            STREAM_REQUESTS.add(Map.of(
                                    "user", userOf(request.requestHeaders().get(IdentityHeaders.IDENTITY)),
                                    "authorization",
                                            String.valueOf(
                                                    request.requestHeaders().get("Authorization")),
                                    "cookie",
                                            String.valueOf(
                                                    request.requestHeaders().get("Cookie"))));
                            var query = new io.netty.handler.codec.http.QueryStringDecoder(request.uri()).parameters();
                            int events = Integer.parseInt(
                                    query.getOrDefault("events", List.of("5")).getFirst());
                            long every = Long.parseLong(
                                    query.getOrDefault("every", List.of("100")).getFirst());
                            return response.header("Content-Type", "text/event-stream")
                                    .sendString(Flux.interval(Duration.ofMillis(every))
                                            .take(events)
                                            .map(i -> "id: " + i + "\nevent: tick\ndata: {\"n\":" + i + "}\n\n"));
                        })
                        .get(
                                "/api/v1/nft/upgrade/{id}/events",
                                (request, response) -> response.header("Content-Type", "text/event-stream")
                                        .sendString(Flux.just("initializing", "qualification_verified", "awaiting_burn")
                                                .delayElements(Duration.ofMillis(50))
                                                .map(status -> "event: nft_upgrade_status\ndata: {\"upgradeId\":\""
                                                        + request.param("id") + "\",\"status\":\"" + status
                                                        + "\",\"user\":\""
                                                        + userOf(request.requestHeaders()
                                                                .get(IdentityHeaders.IDENTITY)) + "\"}\n\n")))
                        .get(
                                "/api/v1/badges/activations/{id}/events",
                                (request, response) -> response.header("Content-Type", "text/event-stream")
                                        .sendString(Flux.just("badge_verified", "progress_recomputed", "activated")
                                                .map(status -> "data: {\"activationId\":\"" + request.param("id")
                                                        + "\",\"status\":\"" + status + "\",\"user\":\""
                                                        + userOf(request.requestHeaders()
                                                                .get(IdentityHeaders.IDENTITY)) + "\"}\n\n")))
                        .get(
                                "/api/v1/nft/claims/{id}/events",
                                (request, response) -> response.header("Content-Type", "text/event-stream")
                                        .sendString(Flux.just("qualification_verified", "minting_nft", "completed")
                                                .delayElements(Duration.ofMillis(50))
                                                .map(status -> "data: {\"type\":\"nft_claim_status\",\"claimId\":\""
                                                        + request.param("id") + "\",\"status\":\"" + status
                                                        + "\",\"user\":\""
                                                        + userOf(request.requestHeaders()
                                                                .get(IdentityHeaders.IDENTITY)) + "\"}\n\n"))))
                .bindNow();
    }

    /** The services' check of the identity the gateway signed (with the test JVM's key). */
    static final IdentityVerifier IDENTITIES =
            IdentityVerifier.fromJwkSet(TestIdentities.KEYS.verificationKeys(), 0, Clock.systemUTC());

    /** The user of a verified identity header, or "null" when there is none. */
    static String userOf(String identity) {
        return identity == null ? "null" : IDENTITIES.verify(identity).userId();
    }

    /** Paths under /api/events/** reach the stream server; its query sets how many events and how often. */
    static String streamBase() {
        return "http://127.0.0.1:" + streams.port();
    }
}
