package com.aiw3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.testing.HttpLoad;
import com.aiw3.testing.ServerProcesses;
import com.aiw3.testing.TestIdentities;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * What the gateway adds to a call: the same load client calls a bare downstream directly and through the
 * gateway (JWT validation, identity headers, limits, circuit breaker, a second HTTP hop), and, where nginx
 * is installed, through a plain nginx reverse proxy as the floor any proxy hop costs on the same hardware.
 * Gateway, downstream and nginx each run as processes of their own (the gateway from its boot jar with its
 * image's JVM flags), so their CPU time per request is read from {@code /proc} apart from the load client's.
 *
 * <p>{@code ./mvnw -Pbenchmark -pl api-gateway -am verify}; options {@code -Dbenchmark.seconds=15} (each
 * measured run), {@code -Dbenchmark.warmup-seconds=20} (at least; it goes on until the rate settles), {@code -Dbenchmark.concurrency=32} (closed loop),
 * {@code -Dbenchmark.rate=500} (requests/s of the fixed-rate run), {@code -Dbenchmark.streams=200},
 * {@code -Dbenchmark.nginx=false}, {@code -Dbenchmark.gateway-jvm=...} (extra flags, e.g. a flight
 * recording). Results also go to {@code target/gateway-benchmark/results.md}.
 *
 * <p>Two figures answer different questions. Added latency is read at a fixed request rate well below
 * saturation (open loop, each latency counted from when the request was due), where it is the hop's own
 * cost; at saturation a latency is only the queue's length. Throughput is read at saturation (closed loop),
 * and on a few cores shared by client, proxy and downstream it measures how much CPU the proxy takes
 * from the others, so the CPU time per request of each process is printed too: that is what sizes a
 * gateway tier for a service's peak rate.
 */
class GatewayOverheadBenchmark {

    /** The images' JVM flags; deploy/k8s gives the pod 1 GiB. */
    private static final List<String> GATEWAY_JVM = ServerProcesses.imageJvm("1g");

    private static final Path OUT = Path.of("target", "gateway-benchmark");

    private record Target(String name, int port, List<ProcessHandle> processes, HttpLoad load) {
        Target(String name, int port, List<ProcessHandle> processes, Supplier<String> token) {
            this(name, port, processes, new HttpLoad("http://127.0.0.1:" + port, client -> call(client, token.get())));
        }
    }

    private final BenchTokens tokens = new BenchTokens();

    private String token() {
        return tokens.next();
    }

    @Test
    void gatewayOverheadAgainstDirectCalls() throws Exception {
        int seconds = Integer.getInteger("benchmark.seconds", 15);
        int warmup = Integer.getInteger("benchmark.warmup-seconds", 20);
        int concurrency = Integer.getInteger("benchmark.concurrency", 32);
        int rate = Integer.getInteger("benchmark.rate", 500);
        int streams = Integer.getInteger("benchmark.streams", 200);
        Files.createDirectories(OUT);

        int downstreamPort = freePort();
        int gatewayPort = freePort();
        List<Process> started = new ArrayList<>();
        try {
            Process downstream = ServerProcesses.start(
                    List.of(
                            ServerProcesses.jdkTool("java"),
                            "-Xmx256m",
                            "-XX:+UseG1GC",
                            "-cp",
                            System.getProperty("java.class.path"),
                            BenchDownstream.class.getName(),
                            String.valueOf(downstreamPort)),
                    OUT.resolve("downstream.log"),
                    Map.of());
            started.add(downstream);
            Process gateway = ServerProcesses.start(
                    gatewayCommand(gatewayPort, downstreamPort),
                    OUT.resolve("gateway.log"),
                    // The key the gateway signs callers' identities with (a Secret in production).
                    Map.of("AIW3_IDENTITY_SIGNINGKEY", TestIdentities.KEYS.signingKey()));
            started.add(gateway);
            ServerProcesses.awaitAnswer(
                    "http://127.0.0.1:" + downstreamPort + "/api/v1/nft/tiers", Duration.ofSeconds(60));
            ServerProcesses.awaitAnswer(
                    "http://127.0.0.1:" + gatewayPort + "/actuator/health/readiness", Duration.ofMinutes(2));

            List<ProcessHandle> downstreamProcesses = ServerProcesses.withDescendants(downstream);
            List<Target> targets = new ArrayList<>();
            targets.add(new Target("direct", downstreamPort, List.of(), this::token));
            targets.add(new Target("api-gateway", gatewayPort, ServerProcesses.withDescendants(gateway), this::token));
            int nginxPort = freePort();
            Process nginx = nginx(downstreamPort, nginxPort);
            if (nginx != null) {
                started.add(nginx);
                targets.add(
                        new Target("nginx proxy_pass", nginxPort, ServerProcesses.withDescendants(nginx), this::token));
            }

            // Warm-up until each path's rate settles: the JIT takes minutes to compile a reactive request
            // path this deep (measured: 1,100 req/s after 20 s of load, 3,600 after two minutes).
            StringBuilder warmups = new StringBuilder();
            for (Target target : targets) {
                warmups.append(target.name())
                        .append(": ")
                        .append(target.load().warmUp(concurrency, warmup))
                        .append("; ");
            }

            StringBuilder report = new StringBuilder();
            report.append(String.format(
                    Locale.ROOT,
                    "%n## REST at saturation: closed loop, %d concurrent, %d s each%n%n"
                            + "| path | req/s | ratio to direct | p50 ms | p99 ms | proxy CPU µs/req | downstream CPU µs/req |%n"
                            + "|---|---|---|---|---|---|---|%n",
                    concurrency,
                    seconds));
            double directRate = 0;
            for (Target target : targets) {
                ServerProcesses.Cpu proxyBefore = ServerProcesses.cpu(target.processes());
                ServerProcesses.Cpu downstreamBefore = ServerProcesses.cpu(downstreamProcesses);
                HttpLoad.Run run = target.load().closedLoop(concurrency, seconds);
                long proxyCpu = ServerProcesses.cpu(target.processes())
                        .minus(proxyBefore)
                        .total();
                long downstreamCpu = ServerProcesses.cpu(downstreamProcesses)
                        .minus(downstreamBefore)
                        .total();
                assertThat(run.failures())
                        .as(target.name() + " answered every request with 200")
                        .isZero();
                if (target.name().equals("direct")) {
                    directRate = run.perSecond();
                }
                report.append(String.format(
                        Locale.ROOT,
                        "| %s | %.0f | %.2f | %.2f | %.2f | %s | %.1f |%n",
                        target.name(),
                        run.perSecond(),
                        run.perSecond() / directRate,
                        run.ms(0.50),
                        run.ms(0.99),
                        target.processes().isEmpty()
                                ? "–"
                                : String.format(Locale.ROOT, "%.1f", proxyCpu / 1e3 / run.calls()),
                        downstreamCpu / 1e3 / run.calls()));
            }

            report.append(String.format(
                    Locale.ROOT,
                    "%n## REST added latency: fixed rate %d req/s (open loop), %d s each%n%n"
                            + "| path | p50 ms | p99 ms | p99.9 ms | added p50 ms | added p99 ms |%n|---|---|---|---|---|---|%n",
                    rate,
                    seconds));
            HttpLoad.Run directFixed = null;
            for (Target target : targets) {
                HttpLoad.Run run = target.load().fixedRate(rate, seconds);
                assertThat(run.failures())
                        .as(target.name() + " answered every request with 200")
                        .isZero();
                if (directFixed == null) {
                    directFixed = run;
                }
                report.append(String.format(
                        Locale.ROOT,
                        "| %s | %.2f | %.2f | %.2f | %+.2f | %+.2f |%n",
                        target.name(),
                        run.ms(0.50),
                        run.ms(0.99),
                        run.ms(0.999),
                        run.ms(0.50) - directFixed.ms(0.50),
                        run.ms(0.99) - directFixed.ms(0.99)));
            }

            report.append(String.format(
                    Locale.ROOT,
                    "%n## SSE delivery: %d streams × 50 events, 10 events/s each%n%n"
                            + "| path | events/s | ratio to direct | p50 ms | p99 ms | added p50 ms | added p99 ms |%n"
                            + "|---|---|---|---|---|---|---|%n",
                    streams));
            HttpLoad.Run directSse = null;
            for (Target target : targets) {
                sse(target.port(), streams / 4, 20, 50);
                HttpLoad.Run run = sse(target.port(), streams, 50, 100);
                if (directSse == null) {
                    directSse = run;
                }
                report.append(String.format(
                        Locale.ROOT,
                        "| %s | %.0f | %.2f | %.2f | %.2f | %+.2f | %+.2f |%n",
                        target.name(),
                        run.perSecond(),
                        run.perSecond() / directSse.perSecond(),
                        run.ms(0.50),
                        run.ms(0.99),
                        run.ms(0.50) - directSse.ms(0.50),
                        run.ms(0.99) - directSse.ms(0.99)));
            }
            report.append("\nWarm-up (req/s per 5 s window): ").append(warmups).append('\n');
            System.out.println("\nBENCHMARK api-gateway" + report + "\n");
            Files.writeString(OUT.resolve("results.md"), "# api-gateway overhead" + report);
        } finally {
            started.reversed().forEach(ServerProcesses::stop);
        }
    }

    private static List<String> gatewayCommand(int port, int downstreamPort) {
        List<String> command = new ArrayList<>();
        command.add(ServerProcesses.jdkTool("java"));
        command.addAll(ServerProcesses.jvmFlags(GATEWAY_JVM));
        command.addAll(List.of(
                "-jar",
                ServerProcesses.bootJar("api-gateway").toString(),
                "--server.port=" + port,
                "--logging.level.root=WARN"));
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
        return command;
    }

    /** nginx as a bare reverse proxy with kept-alive upstream connections; null where it is not installed. */
    private Process nginx(int downstreamPort, int nginxPort) throws IOException {
        Path binary = Path.of("/usr/sbin/nginx");
        if (!Boolean.parseBoolean(System.getProperty("benchmark.nginx", "true")) || !Files.isExecutable(binary)) {
            return null;
        }
        Path prefix = OUT.resolve("nginx").toAbsolutePath();
        Files.createDirectories(prefix.resolve("logs"));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes auto;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    upstream downstream { server 127.0.0.1:%2$d; keepalive 128; }
                    server {
                        listen 127.0.0.1:%3$d;
                        location / {
                            proxy_pass http://downstream;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_buffering off;
                            proxy_read_timeout 1h;
                        }
                    }
                }
                """.formatted(prefix, downstreamPort, nginxPort));
        Process nginx = ServerProcesses.start(
                List.of(binary.toString(), "-p", prefix.toString(), "-c", conf.toString()),
                OUT.resolve("nginx.log"),
                Map.of());
        ServerProcesses.awaitAnswer("http://127.0.0.1:" + nginxPort + "/api/v1/nft/tiers", Duration.ofSeconds(20));
        return nginx;
    }

    private static Mono<Integer> call(HttpClient client, String token) {
        return HttpLoad.status(client.headers(h -> h.add("Authorization", "Bearer " + token))
                .get()
                .uri("/api/v1/nft/tiers"));
    }

    private HttpLoad.Run sse(int port, int streams, int events, long everyMs) {
        try (HttpLoad.Client pooled = HttpLoad.Client.of("http://127.0.0.1:" + port, streams)) {
            return sse(pooled.http(), streams, events, everyMs);
        }
    }

    private HttpLoad.Run sse(HttpClient client, int streams, int events, long everyMs) {
        long[] latencies = new long[streams * events];
        AtomicLong index = new AtomicLong();
        long start = System.nanoTime();
        Flux.range(0, streams)
                .flatMap(
                        s -> client.headers(h -> h.add("Authorization", "Bearer " + token())
                                        .add("Accept", "text/event-stream"))
                                .get()
                                .uri("/api/events/stream?events=" + events + "&every=" + everyMs)
                                .responseContent()
                                .asString()
                                .flatMapIterable(chunk -> chunk.lines()
                                        .filter(l -> l.startsWith("data: "))
                                        .toList())
                                .doOnNext(
                                        line -> latencies[(int) index.getAndIncrement()] = BenchDownstream.epochNanos()
                                                - Long.parseLong(
                                                        line.substring(6).trim())),
                        streams)
                .blockLast(Duration.ofMinutes(5));
        assertThat(index.get()).as("every event received").isEqualTo((long) streams * events);
        return new HttpLoad.Run(latencies, (int) index.get(), System.nanoTime() - start, 0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
