package com.aiw3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * What the gateway adds: the same load client calls a bare downstream directly and through the gateway
 * (JWT validation, identity headers, circuit breaker, limits), side by side in one run.
 * {@code ./mvnw -Pbenchmark -pl api-gateway -am verify [-Dbenchmark.requests=20000 -Dbenchmark.concurrency=32]}.
 * Load client, gateway and downstream share this 2-core machine, so absolute figures are conservative.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.root=WARN"})
class GatewayOverheadBenchmark {

    private static final byte[] TIERS = "[{\"id\":1,\"name\":\"Bronze\"},{\"id\":2,\"name\":\"Silver\"}]".getBytes();
    private static DisposableServer downstream;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        downstream = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get(
                                "/api/v1/nft/tiers",
                                (request, response) -> response.header("Content-Type", "application/json")
                                        .sendByteArray(Mono.just(TIERS)))
                        .get("/api/events/stream", (request, response) -> {
                            var query = new io.netty.handler.codec.http.QueryStringDecoder(request.uri()).parameters();
                            int events = Integer.parseInt(query.get("events").getFirst());
                            long everyMs = Long.parseLong(query.get("every").getFirst());
                            return response.header("Content-Type", "text/event-stream")
                                    .sendString(Flux.interval(Duration.ofMillis(everyMs))
                                            .take(events)
                                            .map(i -> "id: " + i + "\ndata: " + System.nanoTime() + "\n\n"));
                        }))
                .bindNow();
        String base = "http://127.0.0.1:" + downstream.port();
        for (String service : new String[] {
            "upgrade-service", "notification-service", "analytics-service", "audit-service", "sse-gateway"
        }) {
            registry.add("aiw3.gateway.downstream." + service, () -> base);
        }
        registry.add("aiw3.gateway.jwt.issuer", () -> Tokens.ISSUER);
        registry.add("aiw3.gateway.jwt.audience", () -> Tokens.AUDIENCE);
        registry.add("aiw3.gateway.jwt.dev-signing-key", () -> "classpath:dev/jwt-dev-signing-key.pem");
        registry.add("aiw3.gateway.limits.sse-streams-per-ip", () -> "100000");
    }

    @AfterAll
    static void stop() {
        downstream.disposeNow();
    }

    @LocalServerPort
    int gatewayPort;

    private record Run(double perSecond, long[] latenciesNanos) {
        double percentileMs(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
        }
    }

    private Run rest(int port, String token, int requests, int concurrency) {
        HttpClient client = HttpClient.create(ConnectionProvider.create("bench-" + port, concurrency))
                .baseUrl("http://127.0.0.1:" + port)
                .headers(h -> h.add("Authorization", "Bearer " + token));
        long[] latencies = new long[requests];
        AtomicLong index = new AtomicLong();
        long start = System.nanoTime();
        Flux.range(0, requests)
                .flatMap(
                        i -> {
                            long sent = System.nanoTime();
                            return client.get()
                                    .uri("/api/v1/nft/tiers")
                                    .responseSingle((response, body) -> body.asByteArray()
                                            .doOnNext(bytes -> {
                                                if (response.status().code() != 200) {
                                                    throw new IllegalStateException("status " + response.status());
                                                }
                                            }))
                                    .doOnNext(ignored ->
                                            latencies[(int) index.getAndIncrement()] = System.nanoTime() - sent);
                        },
                        concurrency)
                .blockLast(Duration.ofMinutes(5));
        return new Run(requests / ((System.nanoTime() - start) / 1e9), latencies);
    }

    private Run sse(int port, String token, int streams, int events, long everyMs) {
        HttpClient client = HttpClient.create(ConnectionProvider.create("sse-" + port, streams))
                .baseUrl("http://127.0.0.1:" + port)
                .headers(h -> h.add("Authorization", "Bearer " + token).add("Accept", "text/event-stream"));
        long[] latencies = new long[streams * events];
        AtomicLong index = new AtomicLong();
        long start = System.nanoTime();
        Flux.range(0, streams)
                .flatMap(
                        s -> client.get()
                                .uri("/api/events/stream?events=" + events + "&every=" + everyMs)
                                .responseContent()
                                .asString()
                                .flatMapIterable(chunk -> chunk.lines()
                                        .filter(l -> l.startsWith("data: "))
                                        .toList())
                                .doOnNext(line -> latencies[(int) index.getAndIncrement()] = System.nanoTime()
                                        - Long.parseLong(line.substring(6).trim())),
                        streams)
                .blockLast(Duration.ofMinutes(5));
        assertThat(index.get()).as("every event received").isEqualTo((long) streams * events);
        return new Run(index.get() / ((System.nanoTime() - start) / 1e9), latencies);
    }

    @Test
    void restAndStreamOverheadAgainstDirectCalls() {
        int requests = Integer.getInteger("benchmark.requests", 20_000);
        int concurrency = Integer.getInteger("benchmark.concurrency", 32);
        int streams = Integer.getInteger("benchmark.streams", 200);
        String token = Tokens.valid("bench-user", "user");
        int direct = downstream.port();

        // Warm-up of both paths, then the measured pair.
        rest(direct, token, requests / 4, concurrency);
        rest(gatewayPort, token, requests / 4, concurrency);
        Run restDirect = rest(direct, token, requests, concurrency);
        Run restGateway = rest(gatewayPort, token, requests, concurrency);

        if (!Boolean.parseBoolean(System.getProperty("benchmark.sse", "true"))) {
            System.out.printf(
                    Locale.ROOT,
                    "%nBENCHMARK api-gateway REST: direct %.0f req/s p50 %.2f p99 %.2f; gateway %.0f req/s p50 %.2f p99 %.2f%n%n",
                    restDirect.perSecond(),
                    restDirect.percentileMs(0.50),
                    restDirect.percentileMs(0.99),
                    restGateway.perSecond(),
                    restGateway.percentileMs(0.50),
                    restGateway.percentileMs(0.99));
            return;
        }
        sse(direct, token, streams / 4, 20, 50);
        sse(gatewayPort, token, streams / 4, 20, 50);
        Run sseDirect = sse(direct, token, streams, 50, 100);
        Run sseGateway = sse(gatewayPort, token, streams, 50, 100);

        System.out.printf(
                Locale.ROOT,
                "%nBENCHMARK api-gateway REST (%d requests, %d concurrent): direct %.0f req/s p50 %.2f ms p99 %.2f ms;"
                        + " via gateway %.0f req/s p50 %.2f ms p99 %.2f ms; added p50 %.2f ms p99 %.2f ms;"
                        + " throughput ratio %.2f%n",
                requests,
                concurrency,
                restDirect.perSecond(),
                restDirect.percentileMs(0.50),
                restDirect.percentileMs(0.99),
                restGateway.perSecond(),
                restGateway.percentileMs(0.50),
                restGateway.percentileMs(0.99),
                restGateway.percentileMs(0.50) - restDirect.percentileMs(0.50),
                restGateway.percentileMs(0.99) - restDirect.percentileMs(0.99),
                restGateway.perSecond() / restDirect.perSecond());
        System.out.printf(
                Locale.ROOT,
                "BENCHMARK api-gateway SSE (%d streams x 50 events, 10 events/s each): direct delivery p50 %.2f ms p99 %.2f ms"
                        + " %.0f events/s; via gateway p50 %.2f ms p99 %.2f ms %.0f events/s; added p50 %.2f ms p99 %.2f ms;"
                        + " throughput ratio %.2f%n%n",
                streams,
                sseDirect.percentileMs(0.50),
                sseDirect.percentileMs(0.99),
                sseDirect.perSecond(),
                sseGateway.percentileMs(0.50),
                sseGateway.percentileMs(0.99),
                sseGateway.perSecond(),
                sseGateway.percentileMs(0.50) - sseDirect.percentileMs(0.50),
                sseGateway.percentileMs(0.99) - sseDirect.percentileMs(0.99),
                sseGateway.perSecond() / sseDirect.perSecond());
    }
}
