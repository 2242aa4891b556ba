package com.aiw3.gateway;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The downstream of GatewayOverheadBenchmark, in a process of its own: a REST read that answers at once
 * and an SSE stream whose events carry the time they were sent, so what is measured is the hop itself.
 * {@code java -cp <test classpath> com.aiw3.gateway.BenchDownstream <port>}.
 */
public final class BenchDownstream {

    private static final byte[] TIERS = "[{\"id\":1,\"name\":\"Bronze\"},{\"id\":2,\"name\":\"Silver\"}]".getBytes();

    private BenchDownstream() {}

    public static void main(String[] args) {
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(Integer.parseInt(args[0]))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .route(routes -> routes.get(
                                "/api/v1/nft/tiers",
                                (request, response) -> response.header("Content-Type", "application/json")
                                        .sendByteArray(Mono.just(TIERS)))
                        .get("/api/events/stream", (request, response) -> {
                            var query = new QueryStringDecoder(request.uri()).parameters();
                            int events = Integer.parseInt(query.get("events").getFirst());
                            long everyMs = Long.parseLong(query.get("every").getFirst());
                            // Epoch nanoseconds, so the load client in another process can compare.
                            return response.header("Content-Type", "text/event-stream")
                                    .sendString(Flux.interval(Duration.ofMillis(everyMs))
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
