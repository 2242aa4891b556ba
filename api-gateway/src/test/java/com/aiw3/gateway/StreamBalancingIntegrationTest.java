package com.aiw3.gateway;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Two sse-gateway instances behind the gateway ({@code lb://sse-gateway} over a configured instance list): streams
 * are spread over both, and an instance whose readiness probe fails, or that is gone, gets no new streams.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StreamBalancingIntegrationTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final Instance A = new Instance("a");
    private static final Instance B = new Instance("b");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Downstreams.start();
        ApiGatewayIntegrationTest.gatewayProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("aiw3.gateway.downstream.sse-gateway", () -> "lb://sse-gateway");
        registry.add("spring.cloud.discovery.client.simple.instances.sse-gateway[0].uri", A::uri);
        registry.add("spring.cloud.discovery.client.simple.instances.sse-gateway[1].uri", B::uri);
        // The interval is also each probe's timeout: a probe answered later counts the instance as not ready for
        // that round, which a busy machine made happen at 200 ms.
        registry.add("spring.cloud.loadbalancer.health-check.interval", () -> "1s");
    }

    @AfterAll
    static void stopInstances() {
        A.server.disposeNow();
        B.server.disposeNow();
    }

    @LocalServerPort
    int port;

    @Test
    void streamsAreSpreadOverTheReadyInstancesAndAnInstanceThatIsNotReadyOrGoneGetsNone() throws Exception {
        awaitServedBy(names -> names.containsAll(List.of("a", "b")));

        B.ready.set(false);
        awaitServedBy(names -> names.equals(List.of("a", "a", "a", "a")));

        B.ready.set(true);
        awaitServedBy(names -> names.contains("b"));

        A.gone.set(true);
        awaitServedBy(names -> names.equals(List.of("b", "b", "b", "b")));
    }

    /** Opens four streams until the instances that served them match; a timeout names the last four seen. */
    private void awaitServedBy(java.util.function.Predicate<List<String>> expected) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> servedBy(4), expected);
    }

    /** The instance each of {@code count} streams opened one after another was served by (503: none ready). */
    private List<String> servedBy(int count) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events/stream"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + Tokens.valid("balanced", "user"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            names.add(response.statusCode() == 200 ? response.body().trim() : "status " + response.statusCode());
        }
        return names;
    }

    /** A stand-in sse-gateway instance: its stream names it, its readiness probe answers as told. */
    private static final class Instance {
        final AtomicBoolean ready = new AtomicBoolean(true);
        // A crashed instance: every connection to it ends without an answer (its probe and its streams alike).
        final AtomicBoolean gone = new AtomicBoolean(false);
        final DisposableServer server;

        Instance(String name) {
            server = HttpServer.create()
                    .runOn(reactor.netty.resources.LoopResources.create("instance-" + name, 1, true))
                    .host("127.0.0.1")
                    .port(0)
                    .route(routes -> routes.get(
                                    "/api/events/stream",
                                    (request, response) -> gone.get()
                                            ? response.withConnection(reactor.netty.Connection::dispose)
                                                    .then()
                                            : response.header("Content-Type", "text/event-stream")
                                                    .sendString(Mono.just(name)))
                            .get(
                                    "/actuator/health/readiness",
                                    (request, response) -> gone.get()
                                            ? response.withConnection(reactor.netty.Connection::dispose)
                                                    .then()
                                            : response.status(ready.get() ? 200 : 503)
                                                    .sendString(Mono.just(ready.get() ? "{\"status\":\"UP\"}" : "{}"))))
                    .bindNow();
        }

        String uri() {
            return "http://127.0.0.1:" + server.port();
        }
    }
}
