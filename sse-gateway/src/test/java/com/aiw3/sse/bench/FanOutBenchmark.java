package com.aiw3.sse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.testing.ServerProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Broadcast fan-out of sse-gateway against nginx+nchan and a plain Node.js SSE server, side by side in one
 * run with the same load client ({@link SseLoadClient} processes). Events reach the gateway through
 * Kafka (a broker in this JVM), the baselines through their HTTP publish. For each server and scenario
 * it prints connections held, memory per idle connection ((RSS with N open − RSS with none) / N),
 * deliveries per second, losses, duplicates, publish-to-receipt latency, and server CPU time per delivery.
 *
 * <p>{@code ./mvnw -Pbenchmark -pl sse-gateway -am verify} (needs {@code apt-get install nginx-light
 * libnginx-mod-nchan} and node). Options: {@code -Dbenchmark.scenarios=1k,10k,1k-steady,10k-steady,100k} (and {@code smoke}, a check
 * of the harness),
 * {@code -Dbenchmark.servers=gateway,nchan,node}, {@code -Dbenchmark.seconds=5}, {@code -Dbenchmark.gateway-jar=...} (another build of the
 * gateway, to compare before and after a change), {@code -Dbenchmark.gc=-XX:+UseParallelGC} (another collector in place of
 * the image's G1).
 *
 * <p>A/B of gateway builds and configurations, alternating in one run ({@code -Dbenchmark.ab.rounds=2} rounds, each
 * variant once per round, a fresh process each time; the gateway only): {@code -Dbenchmark.ab.tracing=true}
 * measures the build as it ships (every record sampled, no export endpoint) beside the same jar with its spans
 * exported over OTLP to a receiver in this JVM that discards them, and with tracing's auto-configuration
 * excluded (no tracer at all); {@code -Dbenchmark.ab.jar=...} (label {@code -Dbenchmark.ab.label=...}) adds another
 * build. After the rounds it prints each variant's mean CPU per delivery and memory per idle connection, and
 * their ratio to the build as it ships.
 */
class FanOutBenchmark {

    /**
     * The gateway's JVM as its image runs it (the jib jvmFlags of sse-gateway/pom.xml; deploy/k8s gives the
     * pod 1 GiB, which MaxRAM stands in for here).
     */
    static final List<String> GATEWAY_JVM = List.of(
            "-XX:MaxRAM=1g",
            "-XX:MaxRAMPercentage=70",
            "-XX:InitialRAMPercentage=10",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:G1PeriodicGCInterval=60000",
            "-XX:+ExitOnOutOfMemoryError",
            System.getProperty("benchmark.gc", "-XX:+UseG1GC"),
            "-Xss512k",
            "--enable-native-access=ALL-UNNAMED");

    private static final int PER_CLIENT_PROCESS = 16_700;
    /** HotSpot's JIT compiler threads and its collector's threads, by the names /proc gives them. */
    private static final List<String> COMPILER = List.of("C1 CompilerThre", "C2 CompilerThre");

    private static final List<String> GC = List.of("GC Thread", "G1 ");
    /** A phase ends when every event has arrived everywhere, or nothing more arrived for this long. */
    private static final Duration STALL = Duration.ofSeconds(Integer.getInteger("benchmark.stall-seconds", 10));

    record Scenario(
            String name, int connections, int eventsPerSecond, int seconds, int gatewayInstances, int nchanWorkers) {}

    record Result(
            String server,
            Scenario scenario,
            int open,
            double connectSeconds,
            double bytesPerIdleConnection,
            double heapBytesPerIdleConnection,
            long published,
            double publishedPerSecond,
            long expected,
            long received,
            long duplicates,
            double deliveriesPerSecond,
            long p50Micros,
            long p99Micros,
            long maxMicros,
            double cpuMicrosPerDelivery) {

        long lost() {
            return expected - received;
        }
    }

    /** Tracing's auto-configuration, excluded to run the gateway with no tracer (Micrometer's no-op one). */
    static final String NO_TRACING = String.join(
            ",",
            "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration");

    /** A build and configuration of the gateway that an A/B run measures. */
    record Variant(String label, Path jar, java.util.Map<String, String> environment) {}

    private final Path logs = Path.of("target", "fanout-benchmark");
    private long seq;

    @Test
    void broadcastFanOutAgainstNchanAndNode() throws Exception {
        Files.createDirectories(logs);
        int seconds = Integer.getInteger("benchmark.seconds", 5);
        List<String> scenarios =
                Arrays.asList(System.getProperty("benchmark.scenarios", "1k,10k,1k-steady,10k-steady,100k")
                        .split(","));
        List<String> servers = Arrays.asList(
                System.getProperty("benchmark.servers", "gateway,nchan,node").split(","));
        List<Scenario> all = List.of(
                new Scenario("1k", 1_000, 1_000, seconds, 1, 2),
                new Scenario("10k", 10_000, 200, seconds, 1, 2),
                // Loads every server keeps up with, where latency is not the length of a backlog.
                new Scenario("1k-steady", 1_000, 50, seconds * 2, 1, 2),
                new Scenario("10k-steady", 10_000, 5, seconds * 2, 1, 2),
                // A quick check of the harness itself: every event must arrive everywhere.
                new Scenario("smoke", 20, 5, 2, 1, 1),
                new Scenario("100k", 100_000, 2, Math.max(seconds, 10), 6, 6));
        Path jar = ServerProcesses.bootJar("sse-gateway");

        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        List<Result> results = new ArrayList<>();
        boolean tracingAb = Boolean.getBoolean("benchmark.ab.tracing");
        String otherJar = System.getProperty("benchmark.ab.jar", "");
        if (tracingAb || !otherJar.isBlank()) {
            try (DiscardingTraceReceiver receiver = DiscardingTraceReceiver.start()) {
                List<Variant> variants = new ArrayList<>(List.of(new Variant("as shipped", jar, java.util.Map.of())));
                if (tracingAb) {
                    variants.add(new Variant(
                            "spans exported",
                            jar,
                            java.util.Map.of(
                                    "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", receiver.endpoint())));
                    variants.add(new Variant(
                            "no tracing", jar, java.util.Map.of("SPRING_AUTOCONFIGURE_EXCLUDE", NO_TRACING)));
                }
                if (!otherJar.isBlank()) {
                    variants.add(new Variant(
                            System.getProperty(
                                    "benchmark.ab.label",
                                    Path.of(otherJar).getFileName().toString()),
                            Path.of(otherJar),
                            java.util.Map.of()));
                }
                abRounds(all, scenarios, variants, kafka, results, receiver);
            } finally {
                kafka.destroy();
            }
            assertThat(results).isNotEmpty();
            return;
        }
        try {
            for (Scenario scenario : all) {
                if (!scenarios.contains(scenario.name())) {
                    continue;
                }
                if (servers.contains("gateway")) {
                    results.add(run(
                            scenario,
                            () -> new Servers.Gateway(
                                    jar,
                                    scenario.gatewayInstances(),
                                    18_300,
                                    kafka.getBrokersAsString(),
                                    ServerProcesses.jvmFlags(GATEWAY_JVM),
                                    logs)));
                }
                if (servers.contains("nchan")) {
                    results.add(run(
                            scenario,
                            () -> Servers.nchan(
                                    18_400,
                                    scenario.nchanWorkers(),
                                    logs.resolve("nchan").toAbsolutePath())));
                }
                if (servers.contains("node") && scenario.connections() < 19_000) {
                    results.add(run(
                            scenario,
                            () -> Servers.node(18_500, logs.resolve("node").toAbsolutePath())));
                }
                report(results);
            }
        } finally {
            kafka.destroy();
        }
        assertThat(results).isNotEmpty();
    }

    /**
     * Each scenario: every variant once per round, in the same order, for {@code benchmark.ab.rounds} rounds; then
     * each variant's means and their ratio to the first variant's.
     */
    private void abRounds(
            List<Scenario> all,
            List<String> scenarios,
            List<Variant> variants,
            EmbeddedKafkaKraftBroker kafka,
            List<Result> results,
            DiscardingTraceReceiver receiver)
            throws IOException {
        int rounds = Integer.getInteger("benchmark.ab.rounds", 2);
        StringBuilder summary = new StringBuilder();
        for (Scenario scenario : all) {
            if (!scenarios.contains(scenario.name())) {
                continue;
            }
            java.util.Map<String, List<Result>> byVariant = new java.util.LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (Variant variant : variants) {
                    String name = "sse-gateway " + variant.label() + " (round " + round + ")";
                    long exportsBefore = receiver.requests();
                    Result result = run(
                            scenario,
                            () -> new Servers.Gateway(
                                    name,
                                    variant.jar(),
                                    scenario.gatewayInstances(),
                                    18_300,
                                    kafka.getBrokersAsString(),
                                    ServerProcesses.jvmFlags(GATEWAY_JVM),
                                    variant.environment(),
                                    logs));
                    if (receiver.requests() > exportsBefore) {
                        System.out.printf(
                                Locale.ROOT,
                                "%s: %d OTLP export requests received (and discarded)%n",
                                name,
                                receiver.requests() - exportsBefore);
                    }
                    results.add(result);
                    byVariant
                            .computeIfAbsent(variant.label(), k -> new ArrayList<>())
                            .add(result);
                    report(results);
                }
            }
            summary.append(abSummary(scenario, byVariant));
        }
        System.out.println();
        System.out.println(summary);
        Files.writeString(logs.resolve("ab-summary.md"), summary);
    }

    private static String abSummary(Scenario scenario, java.util.Map<String, List<Result>> byVariant) {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "%n%s × %d/s, means of %d rounds:%n| variant | CPU µs/delivery | vs first | KB/idle conn (RSS) | vs first | live heap KB/idle conn | lost | dup |%n|---|---|---|---|---|---|---|---|%n",
                scenario.name(),
                scenario.eventsPerSecond(),
                byVariant.values().iterator().next().size()));
        double baseCpu = Double.NaN;
        double baseKb = Double.NaN;
        for (var entry : byVariant.entrySet()) {
            List<Result> runs = entry.getValue();
            double cpu = runs.stream()
                    .mapToDouble(Result::cpuMicrosPerDelivery)
                    .average()
                    .orElse(Double.NaN);
            double kb = runs.stream()
                    .mapToDouble(r -> r.bytesPerIdleConnection() / 1024)
                    .average()
                    .orElse(Double.NaN);
            double heap = runs.stream()
                    .mapToDouble(r -> r.heapBytesPerIdleConnection() / 1024)
                    .average()
                    .orElse(Double.NaN);
            if (Double.isNaN(baseCpu)) {
                baseCpu = cpu;
                baseKb = kb;
            }
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f | %+.1f %% | %.2f | %+.1f %% | %.2f | %d | %d |%n",
                    entry.getKey(),
                    cpu,
                    (cpu / baseCpu - 1) * 100,
                    kb,
                    (kb / baseKb - 1) * 100,
                    heap,
                    runs.stream().mapToLong(Result::lost).sum(),
                    runs.stream().mapToLong(Result::duplicates).sum()));
        }
        return out.toString();
    }

    private Result run(Scenario scenario, Supplier<Servers.Server> start) {
        System.out.printf(
                Locale.ROOT, "%n== %s connections x %d events/s ==%n", scenario.name(), scenario.eventsPerSecond());
        try (Servers.Server server = start.get()) {
            warmUp(server, scenario);
            settle();
            long idleHeap = server.collectGarbage();
            long idle = ServerProcesses.rss(server.processes());
            try (LoadClients clients =
                    new LoadClients(scenario.connections(), PER_CLIENT_PROCESS, server.ports(), server.path(), logs)) {
                long connectStart = System.nanoTime();
                LoadClients.Totals totals = clients.totals();
                long deadline = connectStart + Duration.ofMinutes(15).toNanos();
                while (totals.open() + totals.failed() < scenario.connections() && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(500_000_000L);
                    totals = clients.totals();
                }
                double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "%s: %d open, %d refused, in %.1f s%n",
                        server.name(),
                        totals.open(),
                        totals.failed(),
                        connectSeconds);
                settle();
                long heldHeap = server.collectGarbage();
                long held = ServerProcesses.rss(server.processes());
                if (heldHeap >= 0 && totals.open() > 0) {
                    System.out.printf(
                            Locale.ROOT,
                            "%s: live heap %.1f KB per idle connection (after a full GC), RSS %.1f KB%n",
                            server.name(),
                            (heldHeap - idleHeap) / 1024.0 / totals.open(),
                            (held - idle) / 1024.0 / totals.open());
                }
                int open = totals.open();

                warmUpUntilCompiled(server, clients, scenario, open);

                ServerProcesses.Cpu cpuBefore = ServerProcesses.cpu(server.processes());
                ServerProcesses.Cpu compilerBefore = ServerProcesses.threadCpu(server.processes(), COMPILER);
                ServerProcesses.Cpu gcBefore = ServerProcesses.threadCpu(server.processes(), GC);
                long events = (long) scenario.eventsPerSecond() * scenario.seconds();
                Delivery delivery = publishAndWait(server, clients, scenario, events, open);
                ServerProcesses.Cpu used =
                        ServerProcesses.cpu(server.processes()).minus(cpuBefore);
                long cpu = used.total();
                long compiler = ServerProcesses.threadCpu(server.processes(), COMPILER)
                        .minus(compilerBefore)
                        .total();
                long gc = ServerProcesses.threadCpu(server.processes(), GC)
                        .minus(gcBefore)
                        .total();
                LoadClients.Totals after = delivery.totals();
                System.out.printf(
                        Locale.ROOT,
                        "%s: after the phase %d open, %d closed by the server, %d missing mid-stream, fewest events on one connection %d of %d; CPU %.1f s user + %.1f s kernel (of which JIT compiler threads %.2f s, GC threads %.2f s)%n",
                        server.name(),
                        after.open(),
                        after.closed(),
                        after.gaps(),
                        after.fewest(),
                        events,
                        used.userNanos() / 1e9,
                        used.systemNanos() / 1e9,
                        compiler / 1e9,
                        gc / 1e9);
                Result result = new Result(
                        server.name(),
                        scenario,
                        open,
                        connectSeconds,
                        open == 0 ? 0 : (double) (held - idle) / open,
                        open == 0 || heldHeap < 0 ? Double.NaN : (double) (heldHeap - idleHeap) / open,
                        events,
                        events / delivery.publishSeconds(),
                        events * open,
                        after.received(),
                        after.duplicates(),
                        after.received() / delivery.deliverySeconds(),
                        after.latency().quantile(0.50),
                        after.latency().quantile(0.99),
                        after.latency().quantile(1.0),
                        after.received() == 0 ? 0 : cpu / 1e3 / after.received());
                System.out.println(row(result));
                return result;
            }
        }
    }

    /**
     * Connections opened, fed and closed before "RSS with none" is read: code compiled and buffers pooled on
     * first use are the server's, not its connections'.
     */
    private void warmUp(Servers.Server server, Scenario scenario) {
        int connections = Math.min(scenario.connections(), 2_000);
        try (LoadClients clients =
                new LoadClients(connections, PER_CLIENT_PROCESS, server.ports(), server.path(), logs)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            LoadClients.Totals totals = clients.totals();
            while (totals.open() + totals.failed() < connections && System.nanoTime() < deadline) {
                LockSupport.parkNanos(200_000_000L);
                totals = clients.totals();
            }
            publishAndWait(server, clients, new Scenario("warm-up", connections, 100, 1, 1, 1), 100, totals.open());
        }
    }

    /**
     * Rounds of about 3 s of events at the scenario's rate, not counted, until the server's JIT compiler
     * threads are idle (under 30 ms of CPU in a round) or 20 rounds have passed: the phase then measures
     * the server as it runs for days, not its compiler. A fresh JVM was still compiling a quarter of its
     * CPU into a 10-second phase after one round (perf, 1k x 50/s). Servers without HotSpot compiler threads
     * (nginx, Node) get one round, as before.
     */
    private void warmUpUntilCompiled(Servers.Server server, LoadClients clients, Scenario scenario, int open) {
        long events = Math.max(2, Math.min(2_000, scenario.eventsPerSecond() * 3));
        for (int round = 1; ; round++) {
            ServerProcesses.Cpu before = ServerProcesses.threadCpu(server.processes(), COMPILER);
            publishAndWait(server, clients, scenario, events, open);
            clients.reset(seq + 1);
            long compiled = ServerProcesses.threadCpu(server.processes(), COMPILER)
                    .minus(before)
                    .total();
            if (compiled < Duration.ofMillis(30).toNanos() || round == 20) {
                System.out.printf(
                        Locale.ROOT,
                        "%s: warmed up in %d round(s) of %d events; JIT compiler %.0f ms in the last%n",
                        server.name(),
                        round,
                        events,
                        compiled / 1e6);
                return;
            }
        }
    }

    record Delivery(LoadClients.Totals totals, double publishSeconds, double deliverySeconds) {}

    /**
     * Publishes {@code events} at the scenario's rate, then waits until every open connection has them
     * all or nothing more arrives for 10 s.
     */
    private Delivery publishAndWait(
            Servers.Server server, LoadClients clients, Scenario scenario, long events, int open) {
        long start = System.nanoTime();
        long interval = 1_000_000_000L / scenario.eventsPerSecond();
        for (long i = 0; i < events; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            server.publish(++seq, nowMicros());
        }
        server.flush();
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        long expected = events * open;
        LoadClients.Totals totals = clients.totals();
        long lastChange = System.nanoTime();
        long lastReceived = totals.received();
        while (totals.received() < expected && System.nanoTime() - lastChange < STALL.toNanos()) {
            LockSupport.parkNanos(200_000_000L);
            totals = clients.totals();
            if (totals.received() != lastReceived) {
                lastReceived = totals.received();
                lastChange = System.nanoTime();
            }
        }
        return new Delivery(totals, publishSeconds, Math.max(publishSeconds, (lastChange - start) / 1e9));
    }

    /** Lets a server's memory settle after start-up or after connections (a benchmark pause, not a test wait). */
    private static void settle() {
        LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static final String HEADER =
            "| scenario | server | open | connect s | KB/idle conn | published/s | deliveries/s | lost | dup | p50 ms | p99 ms | max ms | CPU µs/delivery |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    private static String row(Result r) {
        return String.format(
                Locale.ROOT,
                "| %s × %d/s | %s | %d | %.1f | %.1f | %.0f | %.0f | %d | %d | %.2f | %.2f | %.1f | %.2f |",
                r.scenario().name(),
                r.scenario().eventsPerSecond(),
                r.server(),
                r.open(),
                r.connectSeconds(),
                r.bytesPerIdleConnection() / 1024,
                r.publishedPerSecond(),
                r.deliveriesPerSecond(),
                r.lost(),
                r.duplicates(),
                r.p50Micros() / 1e3,
                r.p99Micros() / 1e3,
                r.maxMicros() / 1e3,
                r.cpuMicrosPerDelivery());
    }

    private void report(List<Result> results) throws IOException {
        StringBuilder table = new StringBuilder(HEADER).append('\n');
        results.forEach(r -> table.append(row(r)).append('\n'));
        System.out.println();
        System.out.println(table);
        Files.writeString(logs.resolve("results.md"), table);
    }
}
