package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.serde.EventSerializer;
import com.aiw3.testing.HttpLoad;
import com.aiw3.testing.ServerProcesses;
import com.aiw3.web.IdentityHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * What api-gateway adds in front of the real services, on the platform as the system tests run it (every
 * service its own JVM, a real Kafka broker, PostgreSQL): the same load client calls upgrade-service and
 * sse-gateway directly, with the identity headers the gateway would set, and through the gateway with a
 * token. api-gateway's own GatewayOverheadBenchmark measures the hop against a downstream that does
 * nothing; this one answers what a deployment pays: the gateway against calling the service directly.
 *
 * <p>{@code ./mvnw -Pbenchmark -pl system-tests -am verify -Dit.test=GatewayOverServicesBenchmark}; options
 * {@code -Dbenchmark.seconds=15}, {@code -Dbenchmark.warmup-seconds=60} (at least; it goes on until the
 * rate settles), {@code -Dbenchmark.concurrency=32}, {@code -Dbenchmark.rate=200} (requests/s of the
 * fixed-rate run), {@code -Dbenchmark.streams=100} (users, each with one stream on each path),
 * {@code -Dbenchmark.events=200} (events/s over all users). Results also go to
 * {@code target/gateway-over-services/results.md}.
 *
 * <ul>
 *   <li>REST: {@code GET /api/v1/nft/upgrades} (a user's upgrade history: two queries on PostgreSQL).
 *       Throughput at saturation (closed loop), latency at a fixed rate (open loop), and CPU per request of
 *       the gateway and the service from {@code /proc}.
 *   <li>SSE: each user holds one stream directly on sse-gateway and one through the gateway, and every
 *       event published to Kafka for that user reaches both, so the two paths are measured on the same
 *       events at the same moments (publish-to-receipt latency).
 * </ul>
 */
class GatewayOverServicesBenchmark {

    private static final Path OUT = Path.of("target", "gateway-over-services");
    private static final String HISTORY = "/api/v1/nft/upgrades?size=20";
    private static final String MARK = "bench|";

    /** One signed-in user: their id for a direct call, their token for a call through the gateway. */
    /** A user: their token for the gateway, and the identity the gateway would sign for direct calls. */
    private record Caller(String id, String token, String identity) {}

    @Test
    void gatewayAgainstCallingTheServicesDirectly() throws Exception {
        int seconds = Integer.getInteger("benchmark.seconds", 15);
        int warmup = Integer.getInteger("benchmark.warmup-seconds", 60);
        int concurrency = Integer.getInteger("benchmark.concurrency", 32);
        int rate = Integer.getInteger("benchmark.rate", 200);
        int streams = Integer.getInteger("benchmark.streams", 100);
        int eventsPerSecond = Integer.getInteger("benchmark.events", 200);
        Files.createDirectories(OUT);

        // The services as their images run them (C2, G1, the pods' memory), not with the local run's flags.
        System.setProperty(Platform.JVM_PROPERTY, "image");
        Platform platform = Platform.get();
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < Math.max(64, streams + 20); i++) {
            User user = User.signIn(platform, "bench-" + run + "-" + i);
            callers.add(new Caller(user.id, user.token, Platform.identityOf(user.id, "user")));
        }
        AtomicInteger next = new AtomicInteger();
        BiFunction<HttpClient, Boolean, Mono<Integer>> history = (client, direct) -> {
            Caller caller = callers.get(Math.floorMod(next.getAndIncrement(), callers.size()));
            return HttpLoad.status(
                    client.headers(h -> identify(h, caller, direct)).get().uri(HISTORY));
        };
        HttpLoad directRest = new HttpLoad(platform.direct("upgrade-service"), client -> history.apply(client, true));
        HttpLoad gatewayRest = new HttpLoad(platform.gateway(), client -> history.apply(client, false));
        List<ProcessHandle> gateway = platform.processesOf("api-gateway");
        List<ProcessHandle> service = platform.processesOf("upgrade-service");

        String warmups = "direct: " + directRest.warmUp(concurrency, warmup) + "; api-gateway: "
                + gatewayRest.warmUp(concurrency, warmup);

        StringBuilder report = new StringBuilder();
        report.append(String.format(
                Locale.ROOT,
                "%n## REST `GET %s` at saturation: closed loop, %d concurrent, %d s each%n%n"
                        + "| path | req/s | ratio to direct | p50 ms | p99 ms | gateway CPU µs/req | upgrade-service CPU µs/req |%n"
                        + "|---|---|---|---|---|---|---|%n",
                HISTORY,
                concurrency,
                seconds));
        double directRate = 0;
        for (boolean direct : List.of(true, false)) {
            ServerProcesses.Cpu gatewayBefore = ServerProcesses.cpu(gateway);
            ServerProcesses.Cpu serviceBefore = ServerProcesses.cpu(service);
            HttpLoad.Run load = (direct ? directRest : gatewayRest).closedLoop(concurrency, seconds);
            double gatewayCpu =
                    ServerProcesses.cpu(gateway).minus(gatewayBefore).total() / 1e3 / load.calls();
            double serviceCpu =
                    ServerProcesses.cpu(service).minus(serviceBefore).total() / 1e3 / load.calls();
            assertThat(load.failures()).as("every request answered 200").isZero();
            if (direct) {
                directRate = load.perSecond();
            }
            report.append(String.format(
                    Locale.ROOT,
                    "| %s | %.0f | %.2f | %.2f | %.2f | %.1f | %.1f |%n",
                    direct ? "direct" : "api-gateway",
                    load.perSecond(),
                    load.perSecond() / directRate,
                    load.ms(0.50),
                    load.ms(0.99),
                    gatewayCpu,
                    serviceCpu));
        }

        report.append(String.format(
                Locale.ROOT,
                "%n## REST added latency: fixed rate %d req/s (open loop), %d s each%n%n"
                        + "| path | p50 ms | p99 ms | p99.9 ms | added p50 ms | added p99 ms |%n|---|---|---|---|---|---|%n",
                rate,
                seconds));
        HttpLoad.Run directFixed = directRest.fixedRate(rate, seconds);
        HttpLoad.Run gatewayFixed = gatewayRest.fixedRate(rate, seconds);
        assertThat(directFixed.failures() + gatewayFixed.failures())
                .as("every request answered 200")
                .isZero();
        for (HttpLoad.Run fixed : List.of(directFixed, gatewayFixed)) {
            report.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %.2f | %+.2f | %+.2f |%n",
                    fixed == directFixed ? "direct" : "api-gateway",
                    fixed.ms(0.50),
                    fixed.ms(0.99),
                    fixed.ms(0.999),
                    fixed.ms(0.50) - directFixed.ms(0.50),
                    fixed.ms(0.99) - directFixed.ms(0.99)));
        }

        // A round first so both paths' stream code is compiled by C2 when measured (5 s was not enough: p50
        // 34 ms), on users of its own: a new stream gets its user's kept events, which would mix the rounds.
        sse(platform, callers.subList(streams, streams + 20), eventsPerSecond, 20);
        SsePaths sse = sse(platform, callers.subList(0, streams), eventsPerSecond, seconds);
        report.append(String.format(
                Locale.ROOT,
                "%n## SSE: %d users, each with a stream on each path; %d events/s for %d s, each to both streams%n%n"
                        + "| path | events received | p50 ms | p99 ms | p99.9 ms | added p50 ms | added p99 ms |%n"
                        + "|---|---|---|---|---|---|---|%n",
                streams,
                eventsPerSecond,
                seconds));
        for (HttpLoad.Run path : List.of(sse.direct(), sse.gateway())) {
            report.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.2f | %.2f | %.2f | %+.2f | %+.2f |%n",
                    path == sse.direct() ? "direct" : "api-gateway",
                    path.calls(),
                    path.ms(0.50),
                    path.ms(0.99),
                    path.ms(0.999),
                    path.ms(0.50) - sse.direct().ms(0.50),
                    path.ms(0.99) - sse.direct().ms(0.99)));
        }
        report.append("\nWarm-up (req/s per 5 s window): ").append(warmups).append('\n');
        System.out.println("\nBENCHMARK api-gateway over the services" + report + "\n");
        Files.writeString(OUT.resolve("results.md"), "# api-gateway over the real services" + report);
    }

    private static void identify(io.netty.handler.codec.http.HttpHeaders headers, Caller caller, boolean direct) {
        if (direct) {
            headers.add(IdentityHeaders.IDENTITY, caller.identity());
        } else {
            headers.add("Authorization", "Bearer " + caller.token());
        }
    }

    /** Publish-to-receipt latencies of the same events on the two paths. */
    private record SsePaths(HttpLoad.Run direct, HttpLoad.Run gateway) {}

    private SsePaths sse(Platform platform, List<Caller> users, int eventsPerSecond, int seconds) throws Exception {
        int total = eventsPerSecond * seconds;
        long[] directLatencies = new long[total];
        long[] gatewayLatencies = new long[total];
        AtomicInteger directReceived = new AtomicInteger();
        AtomicInteger gatewayReceived = new AtomicInteger();
        AtomicLong opened = new AtomicLong();
        List<Disposable> open = new ArrayList<>();
        try (HttpLoad.Client directClient = HttpLoad.Client.of(platform.direct("sse-gateway"), users.size());
                HttpLoad.Client gatewayClient = HttpLoad.Client.of(platform.gateway(), users.size());
                KafkaProducer<String, EventEnvelope<?>> producer = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                platform.kafkaBootstrap(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                0,
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new EventSerializer())) {
            for (Caller user : users) {
                open.add(stream(directClient.http(), user, true, directLatencies, directReceived, opened));
                open.add(stream(gatewayClient.http(), user, false, gatewayLatencies, gatewayReceived, opened));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (opened.get() < 2L * users.size() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000L);
            }
            assertThat(opened.get()).as("every stream open").isEqualTo(2L * users.size());

            long period = 1_000_000_000L / eventsPerSecond;
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long wait = start + i * period - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Caller user = users.get(i % users.size());
                EventEnvelope<?> event = EventEnvelope.of(
                        new UserEvent.BadgeEarned(user.id(), MARK + i + "|" + clock(), "bench", "bench"), "benchmark");
                producer.send(new ProducerRecord<>(event.topic().name(), event.key(), event));
            }
            producer.flush();
            long received = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((directReceived.get() < total || gatewayReceived.get() < total) && System.nanoTime() < received) {
                LockSupport.parkNanos(10_000_000L);
            }
            assertThat(directReceived.get())
                    .as("every event on the direct streams")
                    .isEqualTo(total);
            assertThat(gatewayReceived.get())
                    .as("every event on the gateway's streams")
                    .isEqualTo(total);
            long nanos = System.nanoTime() - start;
            return new SsePaths(
                    new HttpLoad.Run(directLatencies, total, nanos, 0),
                    new HttpLoad.Run(gatewayLatencies, total, nanos, 0));
        } finally {
            open.forEach(Disposable::dispose);
        }
    }

    /** One user's stream; each benchmark event's latency goes to its slot (the event's sequence number). */
    private static Disposable stream(
            HttpClient client,
            Caller user,
            boolean direct,
            long[] latencies,
            AtomicInteger received,
            AtomicLong opened) {
        StringBuilder partial = new StringBuilder();
        return client.headers(h -> {
                    identify(h, user, direct);
                    h.add("Accept", "text/event-stream");
                })
                .get()
                .uri("/api/events/stream")
                .response((response, body) -> {
                    if (response.status().code() != 200) {
                        return Flux.error(new IllegalStateException(
                                (direct ? "direct" : "gateway") + " stream answered " + response.status()));
                    }
                    opened.incrementAndGet();
                    return body.asString();
                })
                .subscribe(chunk -> {
                    long now = clock();
                    partial.append(chunk);
                    int end;
                    while ((end = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, end);
                        partial.delete(0, end + 1);
                        int mark = line.indexOf(MARK);
                        if (line.startsWith("data:") && mark >= 0) {
                            String[] parts =
                                    line.substring(mark + MARK.length()).split("[|\"]", 3);
                            int slot = Integer.parseInt(parts[0]);
                            if (slot < latencies.length) {
                                latencies[slot] = now - Long.parseLong(parts[1]);
                                received.incrementAndGet();
                            }
                        }
                    }
                });
    }

    /** The publisher and the streams' reader are this JVM: its monotonic clock times the whole path. */
    private static long clock() {
        return System.nanoTime();
    }
}
