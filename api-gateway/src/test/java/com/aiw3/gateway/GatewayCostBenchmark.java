package com.aiw3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.gatewayfloor.BareGateway;
import com.aiw3.testing.HttpLoad;
import com.aiw3.testing.ServerProcesses;
import com.aiw3.testing.TestIdentities;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * What one gateway core serves, and what the gateway's own filters cost above Spring Cloud Gateway itself.
 *
 * <p>The proxies run on a core of their own ({@code taskset -c 1}, so each JVM sizes itself for one CPU as in
 * a one-core pod); the load client (this JVM) and the downstream ({@link BenchDownstream}) share the other
 * core. Side by side, in alternating rounds so that the host's noise falls on every path alike:
 * <ul>
 *   <li><b>direct</b>: the client calls the downstream;</li>
 *   <li><b>api-gateway</b>: through the gateway's boot jar, with the image's JVM flags;</li>
 *   <li><b>api-gateway NAME</b>: other builds of it, with {@code -Dbenchmark.variants=NAME=JAR,...} (before and
 *       after a change, in one run);</li>
 *   <li><b>Spring Cloud Gateway floor</b>: {@link BareGateway}, the same Spring Cloud Gateway with one route
 *       and no filters, security, observations or Redis at all.</li>
 * </ul>
 *
 * <p>The gateway exports its spans over OTLP to an intake on the downstream that keeps nothing, as it sends
 * them to a collector in production.
 *
 * <p>Loads: the authenticated JSON read ({@code GET /api/v1/nft/tiers}), and the mix (18 of 20 JSON reads,
 * one upgrade POST through the rate limit, one SSE subscribe that receives one event). Figures: rate at
 * saturation (closed loop) and the proxy's CPU per request from {@code /proc} (median of the rounds); then,
 * with a downstream that spends {@code -Dbenchmark.service-work=300} µs of CPU per request as upgrade-service
 * does, the rate through the gateway against direct and the added p99 at half of direct's maximum rate (open
 * loop); then SSE first-event latency (a subscribe sent, its first event received) with the CPU per
 * subscribe, and the CPU per SSE event relayed.
 *
 * <p>{@code ./mvnw -Pbenchmark -pl api-gateway -am verify -Dit.test=GatewayCostBenchmark}; options
 * {@code -Dbenchmark.seconds=10} (each measured run), {@code -Dbenchmark.rounds=3},
 * {@code -Dbenchmark.warmup-seconds=60} (at least, per proxy), {@code -Dbenchmark.concurrency=32},
 * {@code -Dbenchmark.service-work=300}, {@code -Dbenchmark.subscribes=300}, {@code -Dbenchmark.pin=false}
 * (no taskset), {@code -Dbenchmark.variants=NAME=JAR,...}, {@code -Dbenchmark.floor=false},
 * {@code -Dbenchmark.gateway-jvm=...} (extra flags for every proxy, e.g.
 * {@code -XX:StartFlightRecording=filename=/tmp/gw-%p.jfr,settings=profile}). Results also go to
 * {@code target/gateway-cost/results.md}.
 */
class GatewayCostBenchmark {

    /** The images' JVM flags; deploy/k8s gives the pod 1 GiB. */
    private static final List<String> GATEWAY_JVM = ServerProcesses.imageJvm("1g");

    private static final Path OUT = Path.of("target", "gateway-cost");

    /** The key the gateway signs callers' identities with (a Secret in production). */
    private static final Map<String, String> GATEWAY_ENV =
            Map.of("AIW3_IDENTITY_SIGNINGKEY", TestIdentities.KEYS.signingKey());

    private static final String CLIENT_CORE = "0";
    private static final String PROXY_CORE = "1";

    private record Target(String name, int port, List<ProcessHandle> processes) {
        boolean proxy() {
            return !processes.isEmpty();
        }
    }

    private record Sample(double perSecond, double proxyMicros, double downstreamMicros, double p99) {}

    private final boolean pin = Boolean.parseBoolean(System.getProperty("benchmark.pin", "true"));
    private final BenchTokens tokens = new BenchTokens();

    private String token() {
        return tokens.next();
    }

    @Test
    void gatewayCostPerRequestOnItsOwnCore() throws Exception {
        int seconds = Integer.getInteger("benchmark.seconds", 10);
        int rounds = Integer.getInteger("benchmark.rounds", 3);
        int warmup = Integer.getInteger("benchmark.warmup-seconds", 60);
        int concurrency = Integer.getInteger("benchmark.concurrency", 32);
        int serviceWork = Integer.getInteger("benchmark.service-work", 300);
        int subscribes = Integer.getInteger("benchmark.subscribes", 300);
        Files.createDirectories(OUT);
        token();

        int downstreamPort = freePort();
        List<Process> started = new ArrayList<>();
        try {
            if (pin) {
                taskset(ProcessHandle.current().pid(), CLIENT_CORE);
            }
            Process downstream = ServerProcesses.start(
                    pinned(
                            CLIENT_CORE,
                            List.of(
                                    ServerProcesses.jdkTool("java"),
                                    "-Xmx256m",
                                    "-XX:+UseG1GC",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    BenchDownstream.class.getName(),
                                    String.valueOf(downstreamPort))),
                    OUT.resolve("downstream.log"),
                    Map.of());
            started.add(downstream);
            ServerProcesses.awaitAnswer(
                    "http://127.0.0.1:" + downstreamPort + "/api/v1/nft/tiers", Duration.ofSeconds(60));

            List<Target> targets = new ArrayList<>();
            targets.add(new Target("direct", downstreamPort, List.of()));
            int gatewayPort = freePort();
            Process gateway = ServerProcesses.start(
                    gatewayCommand(ServerProcesses.bootJar("api-gateway"), gatewayPort, downstreamPort),
                    OUT.resolve("gateway.log"),
                    GATEWAY_ENV);
            started.add(gateway);
            ServerProcesses.awaitAnswer(
                    "http://127.0.0.1:" + gatewayPort + "/actuator/health/readiness", Duration.ofMinutes(2));
            targets.add(new Target("api-gateway", gatewayPort, ServerProcesses.withDescendants(gateway)));
            // Other builds side by side: -Dbenchmark.variants=before=/path/a.jar,cut-1=/path/b.jar
            for (String variant : System.getProperty("benchmark.variants", "").split(",")) {
                if (variant.isBlank()) {
                    continue;
                }
                String name = variant.substring(0, variant.indexOf('=')).trim();
                int port = freePort();
                Process other = ServerProcesses.start(
                        gatewayCommand(
                                Path.of(variant.substring(variant.indexOf('=') + 1)
                                        .trim()),
                                port,
                                downstreamPort),
                        OUT.resolve("gateway-" + name + ".log"),
                        GATEWAY_ENV);
                started.add(other);
                ServerProcesses.awaitAnswer(
                        "http://127.0.0.1:" + port + "/actuator/health/readiness", Duration.ofMinutes(2));
                targets.add(new Target("api-gateway " + name, port, ServerProcesses.withDescendants(other)));
            }
            if (Boolean.parseBoolean(System.getProperty("benchmark.floor", "true"))) {
                int port = freePort();
                Process floor =
                        ServerProcesses.start(floorCommand(port, downstreamPort), OUT.resolve("floor.log"), Map.of());
                started.add(floor);
                ServerProcesses.awaitAnswer("http://127.0.0.1:" + port + "/api/v1/nft/tiers", Duration.ofMinutes(2));
                targets.add(new Target("Spring Cloud Gateway floor", port, ServerProcesses.withDescendants(floor)));
            }
            List<ProcessHandle> downstreamProcesses = ServerProcesses.withDescendants(downstream);

            // Warm-up: the JIT needs a minute or more of load to compile a reactive request path this deep.
            StringBuilder warmups = new StringBuilder();
            for (Target target : targets) {
                HttpLoad mix = load(target, this::mix);
                mix.closedLoop(concurrency, 10);
                warmups.append(target.name())
                        .append(": ")
                        .append(load(target, this::json).warmUp(concurrency, warmup))
                        .append("; ");
            }

            Map<String, List<Sample>> jsonSamples = new LinkedHashMap<>();
            Map<String, List<Sample>> mixSamples = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                // Each round in another order, so that no path always runs right after another one.
                List<Target> order = new ArrayList<>(targets);
                java.util.Collections.rotate(order, round);
                for (Target target : order) {
                    jsonSamples
                            .computeIfAbsent(target.name(), k -> new ArrayList<>())
                            .add(measure(load(target, this::json), target, downstreamProcesses, concurrency, seconds));
                    mixSamples
                            .computeIfAbsent(target.name(), k -> new ArrayList<>())
                            .add(measure(load(target, this::mix), target, downstreamProcesses, concurrency, seconds));
                }
            }

            StringBuilder report = new StringBuilder();
            report.append(String.format(
                    Locale.ROOT,
                    "%nProxies pinned to one core: %s; client and downstream on the other.%n",
                    pin ? "yes (taskset)" : "no"));
            table(report, "Authenticated JSON read at saturation", jsonSamples, concurrency, seconds, rounds);
            table(
                    report,
                    "The mix at saturation (18 JSON reads : 1 upgrade POST : 1 SSE subscribe)",
                    mixSamples,
                    concurrency,
                    seconds,
                    rounds);

            Files.writeString(OUT.resolve("results.md"), "# api-gateway cost" + report);
            System.out.println("\nBENCHMARK api-gateway cost (so far)" + report + "\n");
            // A downstream that costs what a real service costs: does one gateway core keep up with it?
            Function<HttpClient, Mono<Integer>> serviceCall =
                    client -> HttpLoad.status(client.headers(h -> h.add("Authorization", "Bearer " + token()))
                            .get()
                            .uri("/api/v1/nft/tiers?work=" + serviceWork));
            report.append(String.format(
                    Locale.ROOT,
                    "%n## In front of a service that spends %d µs of CPU per request%n%n"
                            + "| path | req/s at saturation | ratio to direct | proxy CPU µs/req |"
                            + " p50 / p99 ms at half of direct's rate | added p99 ms |%n|---|---|---|---|---|---|%n",
                    serviceWork));
            Map<String, Sample> serviceMax = new LinkedHashMap<>();
            for (Target target : targets) {
                HttpLoad service = new HttpLoad("http://127.0.0.1:" + target.port(), serviceCall);
                service.closedLoop(concurrency, 5);
                serviceMax.put(target.name(), measure(service, target, downstreamProcesses, concurrency, seconds));
            }
            double directMax = serviceMax.get("direct").perSecond();
            int half = (int) Math.round(directMax / 2);
            HttpLoad.Run directHalf = null;
            for (Target target : targets) {
                HttpLoad.Run run = new HttpLoad("http://127.0.0.1:" + target.port(), serviceCall)
                        .fixedRate(half, Math.max(seconds, 10));
                if (run.failures() > 0) {
                    System.out.printf(Locale.ROOT, "%s at half rate: %d failed%n", target.name(), run.failures());
                }
                if (directHalf == null) {
                    directHalf = run;
                }
                Sample max = serviceMax.get(target.name());
                report.append(String.format(
                        Locale.ROOT,
                        "| %s | %.0f | %.2f | %s | %.2f / %.2f | %+.2f |%n",
                        target.name(),
                        max.perSecond(),
                        max.perSecond() / directMax,
                        target.proxy() ? String.format(Locale.ROOT, "%.1f", max.proxyMicros()) : "–",
                        run.ms(0.50),
                        run.ms(0.99),
                        run.ms(0.99) - directHalf.ms(0.99)));
            }
            report.append(String.format(Locale.ROOT, "%nHalf of direct's rate: %d requests/s.%n", half));
            Files.writeString(OUT.resolve("results.md"), "# api-gateway cost" + report);
            System.out.println("\nBENCHMARK api-gateway cost (so far)" + report + "\n");

            report.append(String.format(
                    Locale.ROOT,
                    "%n## SSE first event: %d subscribes at 20/s (open loop), each receiving one event sent at once%n%n"
                            + "| path | first event p50 / p99 ms | added p50 / p99 ms | proxy CPU µs per subscribe |%n"
                            + "|---|---|---|---|%n",
                    subscribes));
            HttpLoad.Run directFirst = null;
            Map<String, Double> subscribeMicros = new LinkedHashMap<>();
            for (Target target : targets) {
                firstEvents(target.port(), 40);
                ServerProcesses.Cpu before = ServerProcesses.cpu(target.processes());
                HttpLoad.Run run = firstEvents(target.port(), subscribes);
                long cpu = ServerProcesses.cpu(target.processes()).minus(before).total();
                if (directFirst == null) {
                    directFirst = run;
                }
                subscribeMicros.put(target.name(), cpu / 1e3 / run.calls());
                report.append(String.format(
                        Locale.ROOT,
                        "| %s | %.2f / %.2f | %+.2f / %+.2f | %s |%n",
                        target.name(),
                        run.ms(0.50),
                        run.ms(0.99),
                        run.ms(0.50) - directFirst.ms(0.50),
                        run.ms(0.99) - directFirst.ms(0.99),
                        target.proxy() ? String.format(Locale.ROOT, "%.0f", cpu / 1e3 / run.calls()) : "–"));
            }
            // Relaying: 100 streams of 200 events each, 50 a second per stream; the CPU per event once the
            // subscribes' own cost (above) is taken out.
            report.append(String.format(
                    Locale.ROOT,
                    "%n## SSE relaying: 100 streams × 200 events, 50 events/s each%n%n"
                            + "| path | events/s | proxy CPU µs per event relayed |%n|---|---|---|%n"));
            for (Target target : targets) {
                ServerProcesses.Cpu before = ServerProcesses.cpu(target.processes());
                long start = System.nanoTime();
                long events = relay(target.port(), 100, 200, 20);
                long nanos = System.nanoTime() - start;
                long cpu = ServerProcesses.cpu(target.processes()).minus(before).total();
                report.append(String.format(
                        Locale.ROOT,
                        "| %s | %.0f | %s |%n",
                        target.name(),
                        events / (nanos / 1e9),
                        target.proxy()
                                ? String.format(
                                        Locale.ROOT,
                                        "%.1f",
                                        (cpu / 1e3 - 100 * subscribeMicros.getOrDefault(target.name(), 0.0)) / events)
                                : "–"));
            }
            report.append("\nWarm-up (req/s per 5 s window): ").append(warmups).append('\n');
            System.out.println("\nBENCHMARK api-gateway cost" + report + "\n");
            Files.writeString(OUT.resolve("results.md"), "# api-gateway cost" + report);
        } finally {
            started.reversed().forEach(ServerProcesses::stop);
        }
    }

    private Sample measure(HttpLoad load, Target target, List<ProcessHandle> downstream, int concurrency, int seconds) {
        ServerProcesses.Cpu proxyBefore = ServerProcesses.cpu(target.processes());
        ServerProcesses.Cpu downstreamBefore = ServerProcesses.cpu(downstream);
        HttpLoad.Run run = load.closedLoop(concurrency, seconds);
        long proxyCpu =
                ServerProcesses.cpu(target.processes()).minus(proxyBefore).total();
        long downstreamCpu =
                ServerProcesses.cpu(downstream).minus(downstreamBefore).total();
        if (run.failures() > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "%s: %d of %d calls failed or timed out%n",
                    target.name(),
                    run.failures(),
                    run.calls());
        }
        return new Sample(
                run.perSecond(), proxyCpu / 1e3 / run.calls(), downstreamCpu / 1e3 / run.calls(), run.ms(0.99));
    }

    private static void table(
            StringBuilder report,
            String title,
            Map<String, List<Sample>> samples,
            int concurrency,
            int seconds,
            int rounds) {
        report.append(String.format(
                Locale.ROOT,
                "%n## %s: closed loop, %d concurrent, %d rounds of %d s, medians%n%n"
                        + "| path | req/s | ratio to direct | p99 ms | proxy CPU µs/req (each round) | proxy req/s per"
                        + " core (10⁶ / µs) | downstream CPU µs/req |%n|---|---|---|---|---|---|---|%n",
                title,
                concurrency,
                rounds,
                seconds));
        double direct = median(samples.get("direct"), Sample::perSecond);
        samples.forEach((name, list) -> {
            double cpu = median(list, Sample::proxyMicros);
            boolean proxy = !name.equals("direct");
            report.append(String.format(
                    Locale.ROOT,
                    "| %s | %.0f | %.2f | %.2f | %s | %s | %.1f |%n",
                    name,
                    median(list, Sample::perSecond),
                    median(list, Sample::perSecond) / direct,
                    median(list, Sample::p99),
                    proxy
                            ? String.format(Locale.ROOT, "%.1f (", cpu)
                                    + String.join(
                                            ", ",
                                            list.stream()
                                                    .map(s -> String.format(Locale.ROOT, "%.0f", s.proxyMicros()))
                                                    .toList())
                                    + ")"
                            : "–",
                    proxy ? String.format(Locale.ROOT, "%.0f", 1e6 / cpu) : "–",
                    median(list, Sample::downstreamMicros)));
        });
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
        double[] values = samples.stream().mapToDouble(value).sorted().toArray();
        return values.length % 2 == 1
                ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private HttpLoad load(Target target, Function<HttpClient, Mono<Integer>> call) {
        return new HttpLoad("http://127.0.0.1:" + target.port(), call);
    }

    private Mono<Integer> json(HttpClient client) {
        return bounded(HttpLoad.status(client.headers(h -> h.add("Authorization", "Bearer " + token()))
                .get()
                .uri("/api/v1/nft/tiers")));
    }

    /** A call that has not answered within 10 s counts as a failure (status 0) instead of holding up the run. */
    private static Mono<Integer> bounded(Mono<Integer> call) {
        return call.timeout(Duration.ofSeconds(10)).onErrorReturn(0);
    }

    private final AtomicLong mixed = new AtomicLong();

    /** 18 JSON reads, one upgrade POST (JSON answer, through the rate limit), one SSE subscribe of one event. */
    private Mono<Integer> mix(HttpClient client) {
        long n = mixed.getAndIncrement() % 20;
        String bearer = "Bearer " + token();
        if (n == 0) {
            return bounded(HttpLoad.status(client.headers(h -> h.add("Authorization", bearer)
                            .add("Content-Type", "application/json")
                            .add("Idempotency-Key", "bench-" + mixed.get()))
                    .post()
                    .uri("/api/v1/nft/upgrade")
                    .send(Mono.just(io.netty.buffer.Unpooled.wrappedBuffer(UPGRADE_BODY)))));
        }
        if (n == 10) {
            return bounded(HttpLoad.status(
                    client.headers(h -> h.add("Authorization", bearer).add("Accept", "text/event-stream"))
                            .get()
                            .uri("/api/events/stream?events=1&every=1&first=0")));
        }
        return json(client);
    }

    private static final byte[] UPGRADE_BODY = "{\"nftId\":\"n-1\",\"targetTier\":2}".getBytes();

    /**
     * {@code count} subscribes at 20 a second, each to a stream whose one event is sent at once: the time from
     * when the subscribe was due to when its event arrived.
     */
    private HttpLoad.Run firstEvents(int port, int count) {
        long[] latencies = new long[count];
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        try (HttpLoad.Client pooled = HttpLoad.Client.of("http://127.0.0.1:" + port, 64)) {
            long start = System.nanoTime();
            long period = 50_000_000L;
            for (int i = 0; i < count; i++) {
                long due = start + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int slot = i;
                pooled.http()
                        .headers(
                                h -> h.add("Authorization", "Bearer " + token()).add("Accept", "text/event-stream"))
                        .get()
                        .uri("/api/events/stream?events=1&every=1000&first=0")
                        .responseContent()
                        .asString()
                        .filter(chunk -> chunk.contains("data: "))
                        .next()
                        .subscribe(
                                chunk -> {
                                    latencies[slot] = System.nanoTime() - due;
                                    done.incrementAndGet();
                                },
                                error -> {
                                    failures.incrementAndGet();
                                    done.incrementAndGet();
                                },
                                () -> {});
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (done.get() < count && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000L);
            }
            assertThat(failures.get()).as("every subscribe got its first event").isZero();
            assertThat(done.get()).as("every subscribe got its first event").isEqualTo(count);
            return new HttpLoad.Run(Arrays.copyOf(latencies, count), count, System.nanoTime() - start, failures.get());
        }
    }

    /** {@code streams} streams of {@code events} events each, one every {@code everyMs}: the events received. */
    private long relay(int port, int streams, int events, long everyMs) {
        try (HttpLoad.Client pooled = HttpLoad.Client.of("http://127.0.0.1:" + port, streams)) {
            Long received = Flux.range(0, streams)
                    .flatMap(
                            s -> pooled.http()
                                    .headers(h -> h.add("Authorization", "Bearer " + token())
                                            .add("Accept", "text/event-stream"))
                                    .get()
                                    .uri("/api/events/stream?events=" + events + "&every=" + everyMs)
                                    .responseContent()
                                    .asString()
                                    .map(chunk -> chunk.lines()
                                            .filter(l -> l.startsWith("data: "))
                                            .count())
                                    .reduce(0L, Long::sum),
                            streams)
                    .reduce(0L, Long::sum)
                    .block(Duration.ofMinutes(2));
            // Counted by lines within a chunk, so an event split across two chunks is not counted: the CPU per
            // event is over the events sent (the stream ended, so every one was relayed).
            System.out.printf(
                    Locale.ROOT,
                    "relay through %d: %d of %d events counted%n",
                    port,
                    received,
                    (long) streams * events);
            return (long) streams * events;
        }
    }

    private List<String> gatewayCommand(Path jar, int port, int downstreamPort) {
        List<String> command = new ArrayList<>();
        command.add(ServerProcesses.jdkTool("java"));
        command.addAll(ServerProcesses.jvmFlags(GATEWAY_JVM));
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--logging.level.root=WARN"));
        String base = "http://127.0.0.1:" + downstreamPort;
        for (String service : List.of(
                "upgrade-service", "notification-service", "analytics-service", "audit-service", "sse-gateway")) {
            command.add("--aiw3.gateway.downstream." + service + "=" + base);
        }
        command.add("--aiw3.gateway.jwt.issuer=" + Tokens.ISSUER);
        command.add("--aiw3.gateway.jwt.audience=" + Tokens.AUDIENCE);
        command.add("--aiw3.gateway.jwt.dev-tokens.enabled=true");
        command.add("--aiw3.gateway.jwt.dev-tokens.signing-key=" + Tokens.DEV_KEY_FILE);
        command.add("--aiw3.gateway.limits.sse-streams-per-ip=100000");
        // Spans leave the process as in production (deploy/k8s sets a collector), to the downstream's OTLP intake.
        command.add("--management.opentelemetry.tracing.export.otlp.endpoint=" + base + "/v1/traces");
        // The mix's upgrade POSTs go through the limit (a Redis round trip each) without being refused.
        command.add("--aiw3.gateway.limits.upgrade-requests-per-minute=100000000");
        return pinned(PROXY_CORE, command);
    }

    private List<String> floorCommand(int port, int downstreamPort) {
        List<String> command = new ArrayList<>();
        command.add(ServerProcesses.jdkTool("java"));
        command.addAll(ServerProcesses.jvmFlags(GATEWAY_JVM));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                BareGateway.class.getName(),
                "--server.port=" + port,
                "--logging.level.root=WARN",
                "--aiw3.floor.downstream=http://127.0.0.1:" + downstreamPort));
        return pinned(PROXY_CORE, command);
    }

    private List<String> pinned(String core, List<String> command) {
        if (!pin) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", core));
        pinned.addAll(command);
        return pinned;
    }

    /** Every thread of a running process (this JVM: the load client) onto one core. */
    private static void taskset(long pid, String core) throws IOException, InterruptedException {
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", core, String.valueOf(pid))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(taskset.waitFor()).as("taskset of the load client").isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
