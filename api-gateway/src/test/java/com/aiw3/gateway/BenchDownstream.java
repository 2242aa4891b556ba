package com.aiw3.gateway;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The downstream of GatewayOverheadBenchmark, in a process of its own: a REST read that answers at once
 * and an SSE stream whose events carry the time they were sent, so what is measured is the hop itself; an
 * upgrade POST answered as JSON (the mix of GatewayCostBenchmark).
 * {@code java -cp <test classpath> com.aiw3.gateway.BenchDownstream <port>}.
 */
public final class BenchDownstream {

    private static final byte[] TIERS = "[{\"id\":1,\"name\":\"Bronze\"},{\"id\":2,\"name\":\"Silver\"}]".getBytes();

    private static final byte[] UPGRADE = "{\"upgradeId\":\"u-1\",\"status\":\"pending\"}".getBytes();

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BenchDownstream() {}

    /**
     * {@code ?work=N}: spend N µs of this thread's CPU before answering, standing in for what a real service
     * spends per request (upgrade-service: 250–350 µs), so a benchmark can put a service's cost behind the hop.
     */
    private static void work(String uri) {
        int at = uri.indexOf("work=");
        if (at < 0) {
            return;
        }
        int end = at + 5;
        while (end < uri.length() && Character.isDigit(uri.charAt(end))) {
            end++;
        }
        long until = THREADS.getCurrentThreadCpuTime() + Long.parseLong(uri.substring(at + 5, end)) * 1_000L;
        while (THREADS.getCurrentThreadCpuTime() < until) {
            Thread.onSpinWait();
        }
    }

    public static void main(String[] args) {
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(Integer.parseInt(args[0]))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .route(routes -> routes.get("/api/v1/nft/tiers", (request, response) -> {
                            work(request.uri());
                            return response.header("Content-Type", "application/json")
                                    .sendByteArray(Mono.just(TIERS));
                        })
                        .post(
                                "/api/v1/nft/upgrade",
                                (request, response) -> request.receive().then(Mono.defer(() -> {
                                    work(request.uri());
                                    return response.header("Content-Type", "application/json")
                                            .sendByteArray(Mono.just(UPGRADE))
                                            .then();
                                })))
                        // An OpenTelemetry collector's trace intake (OTLP over HTTP) that keeps nothing: the proxy
                        // exports its spans as in production.
                        .post(
                                "/v1/traces",
                                (request, response) -> request.receive()
                                        .then(Mono.defer(() -> response.header("Content-Type", "application/x-protobuf")
                                                .send()
                                                .then())))
                        .get("/api/events/stream", (request, response) -> {
                            var query = new QueryStringDecoder(request.uri()).parameters();
                            int events = Integer.parseInt(query.get("events").getFirst());
                            long everyMs = Long.parseLong(query.get("every").getFirst());
                            // first=0: the first event at once (first-event latency), else after one period.
                            long firstMs = query.containsKey("first")
                                    ? Long.parseLong(query.get("first").getFirst())
                                    : everyMs;
                            // Epoch nanoseconds, so the load client in another process can compare.
                            return response.header("Content-Type", "text/event-stream")
                                    .sendString(Flux.interval(Duration.ofMillis(firstMs), Duration.ofMillis(everyMs))
                                            .take(events)
                                            .map(i -> "id: " + i + "\ndata: " + epochNanos() + "\n\n"));
                        }))
                .bindNow();
        System.out.println("ready on " + server.port());
        server.onDispose().block();
    }

    static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
