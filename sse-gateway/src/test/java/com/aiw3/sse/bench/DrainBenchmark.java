package com.aiw3.sse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.testing.ServerProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A rolling restart of one of three sse-gateway instances under load: its streams come back to the other two
 * spread over the drain window, and no event is lost or repeated. Three instances run as separate processes
 * with the image's JVM flags ({@link FanOutBenchmark#GATEWAY_JVM}), on one Kafka broker (in this JVM) and one
 * Redis ({@code redis-server}, started here); {@code benchmark.streams} streams, each of a user of its own, are
 * held by {@link ResumingLoadClient} processes, spread evenly over the instances. Each stream reconnects as a
 * browser's {@code EventSource} does (after the {@code retry:} hint, with Last-Event-ID) to an instance chosen
 * round-robin by a balancer that passes over an instance that refused.
 *
 * <p>While every user receives price alerts through Kafka (numbered per user, so loss and duplicates are
 * counted per stream), one instance gets SIGTERM (it drains), and once it has ended it is started again. It
 * prints the reconnections per second (1-second buckets) against the bound: the instance's streams divided by
 * the drain window, plus {@value #TOLERANCE_PERCENT} % for the spread of connect times on a shared host; the
 * time until every one of its streams is open again; and events lost and duplicated per stream, which must be 0.
 * The same again with a drain window of 0 (every stream ended at once) is the baseline.
 *
 * <p>{@code ./mvnw -Pbenchmark -pl sse-gateway -am verify -Dit.test=DrainBenchmark} (needs {@code redis-server}).
 * Options: {@code -Dbenchmark.streams=10000}, {@code -Dbenchmark.drain.windows=10s,0s} (one round each, in
 * order), {@code -Dbenchmark.drain.events-per-second=1000} (over all users), {@code -Dbenchmark.gateway-jar=...}.
 */
class DrainBenchmark {

    private static final int INSTANCES = 3;
    private static final int FIRST_PORT = 18_600;
    private static final int REDIS_PORT = 16_390;
    private static final int PER_CLIENT_PROCESS = 16_700;
    /** The instance restarted: the first. */
    private static final int RESTARTED = 0;

    static final int TOLERANCE_PERCENT = 25;
    /** Events keep flowing this long before the stop, and after the instance is back. */
    private static final Duration STEADY = Duration.ofSeconds(10);
    /** The final count ends when every event has arrived, or nothing more arrived for this long. */
    private static final Duration STALL = Duration.ofSeconds(15);

    private final Path logs = Path.of("target", "drain-benchmark");

    record Result(
            String label,
            Duration window,
            Duration retry,
            int streams,
            String spreadBefore,
            int drained,
            double partingSeconds,
            long reconnections,
            long peakPerSecond,
            double meanPerSecond,
            double bound,
            double reestablishedSeconds,
            boolean graceful,
            double stopSeconds,
            double readyAgainSeconds,
            String spreadAfter,
            long refusals,
            long published,
            Map<String, String> check,
            List<Long> endedPerSecond,
            List<Long> perSecond) {

        long lost() {
            return Long.parseLong(check.get("lost"));
        }

        long duplicates() {
            return Long.parseLong(check.get("duplicates"));
        }
    }

    @Test
    void restartingOneOfThreeInstancesSpreadsItsReconnectionsOverTheDrainWindowAndLosesNoEvent() throws Exception {
        Files.createDirectories(logs);
        int streams = Integer.getInteger("benchmark.streams", 10_000);
        int rate = Integer.getInteger("benchmark.drain.events-per-second", 1_000);
        List<Duration> windows = Arrays.stream(
                        System.getProperty("benchmark.drain.windows", "10s,0s").split(","))
                .map(w -> Duration.parse("PT" + w.trim().toUpperCase(Locale.ROOT)))
                .toList();
        Path jar = ServerProcesses.bootJar("sse-gateway");
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        Process redis = redis();
        List<Result> results = new ArrayList<>();
        try {
            for (int round = 0; round < windows.size(); round++) {
                results.add(round(round + 1, windows.get(round), streams, rate, jar, kafka.getBrokersAsString()));
                report(results);
            }
        } finally {
            ServerProcesses.stop(redis);
            kafka.destroy();
        }
        assertThat(results).allSatisfy(r -> {
            assertThat(r.lost()).as("events lost (%s)", r.label()).isZero();
            assertThat(r.duplicates()).as("events duplicated (%s)", r.label()).isZero();
        });
    }

    private Result round(int number, Duration window, int streams, int rate, Path jar, String bootstrap) {
        String label = window.isZero() ? "no drain (window 0)" : "drain window " + seconds(window);
        System.out.printf(
                Locale.ROOT,
                "%n== %s: %,d streams on %d instances, %,d events/s over all users ==%n",
                label,
                streams,
                INSTANCES,
                rate);
        Duration retry = Duration.ofSeconds(3);
        Map<String, String> environment = Map.of(
                "AIW3_SSE_DRAINWINDOW",
                window.toMillis() + "ms",
                "AIW3_SSE_RETRY",
                retry.toMillis() + "ms",
                // Lifetimes end far beyond the run, so every reconnection counted is the drain's.
                "AIW3_SSE_MAXLIFETIME",
                "2h",
                "SPRING_DATA_REDIS_HOST",
                "127.0.0.1",
                "SPRING_DATA_REDIS_PORT",
                String.valueOf(REDIS_PORT));
        String prefix = "drain" + number + "-";
        Path identities = logs.resolve("drain-identities.txt");
        try (Servers.Gateway gateway = new Servers.Gateway(
                label,
                jar,
                INSTANCES,
                FIRST_PORT,
                bootstrap,
                ServerProcesses.jvmFlags(FanOutBenchmark.GATEWAY_JVM),
                environment,
                logs)) {
            LoadClients.identities(prefix, streams, identities);
            try (LoadClients clients = LoadClients.resuming(
                    streams, PER_CLIENT_PROCESS, gateway.ports(), gateway.path(), identities, logs)) {
                long connectStart = System.nanoTime();
                Stats stats = Stats.of(clients);
                long deadline = connectStart + Duration.ofMinutes(15).toNanos();
                while (stats.open() < streams && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(500_000_000L);
                    stats = Stats.of(clients);
                }
                String spreadBefore = stats.byPort();
                System.out.printf(
                        Locale.ROOT,
                        "%d open in %.1f s, per instance %s%n",
                        stats.open(),
                        (System.nanoTime() - connectStart) / 1e9,
                        spreadBefore);

                try (Publisher publisher = new Publisher(gateway, prefix, streams, rate)) {
                    pause(STEADY);
                    // Signed identities are short-lived: the reconnections to come carry fresh ones.
                    LoadClients.identities(prefix, streams, identities);
                    clients.ask("identities " + identities, "IDENTITIES ");
                    stats = Stats.of(clients);
                    int drained = stats.openOn(RESTARTED);
                    long reconnectionsBefore = stats.reconnections();
                    long refusalsBefore = stats.refusals();

                    long sigterm = System.currentTimeMillis();
                    // Returns once the process has ended; the load clients reconnect meanwhile in theirs.
                    boolean graceful = gateway.stop(RESTARTED, Duration.ofSeconds(90));
                    long stoppedAt = System.currentTimeMillis();
                    System.out.printf(
                            Locale.ROOT,
                            "instance %d (%d streams) stopped by SIGTERM: ended %s after %.1f s%n",
                            RESTARTED,
                            drained,
                            graceful ? "by itself" : "by SIGKILL",
                            (stoppedAt - sigterm) / 1e3);
                    deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                    stats = Stats.of(clients);
                    while ((stats.open() < streams || stats.reconnections() - reconnectionsBefore < drained)
                            && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(250_000_000L);
                        stats = Stats.of(clients);
                    }
                    long reconnections = stats.reconnections() - reconnectionsBefore;
                    long lastReopen = stats.lastReopen();

                    long restart = System.nanoTime();
                    gateway.restart(RESTARTED);
                    double readyAgain = (System.nanoTime() - restart) / 1e9;
                    System.out.printf(
                            Locale.ROOT, "instance %d started again: ready after %.1f s%n", RESTARTED, readyAgain);
                    pause(STEADY);
                    publisher.close();
                    gateway.flush();
                    long published = publisher.published();

                    Map<String, String> check = awaitEvents(clients, published, streams);
                    stats = Stats.of(clients);
                    TreeMap<Long, long[]> timeline = timeline(clients);
                    long firstSecond = sigterm / 1000;
                    long lastSecond = Math.max(firstSecond, lastReopen / 1000);
                    List<Long> perSecond = new ArrayList<>();
                    List<Long> endedPerSecond = new ArrayList<>();
                    long firstPart = Long.MAX_VALUE, lastPart = Long.MIN_VALUE;
                    long firstReopenSecond = Long.MAX_VALUE;
                    for (long s = firstSecond; s <= lastSecond; s++) {
                        long[] counts = timeline.getOrDefault(s, new long[3]);
                        perSecond.add(counts[1]);
                        endedPerSecond.add(counts[0]);
                        if (counts[0] > 0) {
                            firstPart = Math.min(firstPart, s);
                            lastPart = Math.max(lastPart, s);
                        }
                        if (counts[1] > 0) {
                            firstReopenSecond = Math.min(firstReopenSecond, s);
                        }
                    }
                    long peak =
                            perSecond.stream().mapToLong(Long::longValue).max().orElse(0);
                    double busySeconds = firstReopenSecond == Long.MAX_VALUE ? 1 : lastSecond - firstReopenSecond + 1;
                    double bound = window.isZero()
                            ? Double.POSITIVE_INFINITY
                            : drained / (window.toMillis() / 1e3) * (1 + TOLERANCE_PERCENT / 100.0);
                    Result result = new Result(
                            label,
                            window,
                            retry,
                            streams,
                            spreadBefore,
                            drained,
                            lastPart == Long.MIN_VALUE ? 0 : lastPart - firstPart + 1,
                            reconnections,
                            peak,
                            reconnections / busySeconds,
                            bound,
                            (lastReopen - sigterm) / 1e3,
                            graceful,
                            (stoppedAt - sigterm) / 1e3,
                            readyAgain,
                            stats.byPort(),
                            stats.refusals() - refusalsBefore,
                            published,
                            check,
                            endedPerSecond,
                            perSecond);
                    print(result);
                    return result;
                }
            }
        }
    }

    /** Waits until every stream has every event published to its user, or nothing more arrives for a while. */
    private static Map<String, String> awaitEvents(LoadClients clients, long published, int users) {
        Map<String, String> check = check(clients, published, users);
        long lastChange = System.nanoTime();
        long lastReceived = Long.parseLong(check.get("received"));
        while (Long.parseLong(check.get("lost")) > 0 && System.nanoTime() - lastChange < STALL.toNanos()) {
            LockSupport.parkNanos(250_000_000L);
            check = check(clients, published, users);
            long received = Long.parseLong(check.get("received"));
            if (received != lastReceived) {
                lastReceived = received;
                lastChange = System.nanoTime();
            }
        }
        return check;
    }

    /** The load clients' check summed: counts added, maxima taken. */
    private static Map<String, String> check(LoadClients clients, long published, int users) {
        Map<String, String> total = new java.util.LinkedHashMap<>();
        for (Map<String, String> one : clients.askPairs("check " + published + " " + users, "CHECKED ")) {
            one.forEach((key, value) -> total.merge(
                    key,
                    value,
                    (a, b) -> key.equals("duplicateSample")
                            ? (a.equals("-") ? b : b.equals("-") ? a : a + ";" + b)
                            : String.valueOf(
                                    key.startsWith("max")
                                            ? Math.max(Long.parseLong(a), Long.parseLong(b))
                                            : Long.parseLong(a) + Long.parseLong(b))));
        }
        return total;
    }

    /** Every load client's timeline merged: per epoch second, streams ended, reopened, connections refused. */
    private static TreeMap<Long, long[]> timeline(LoadClients clients) {
        TreeMap<Long, long[]> merged = new TreeMap<>();
        for (String line : clients.ask("timeline", "TIMELINE ")) {
            if (line.equals("-")) {
                continue;
            }
            for (String entry : line.split(",")) {
                String[] parts = entry.split(":");
                long[] counts = merged.computeIfAbsent(Long.parseLong(parts[0]), s -> new long[3]);
                for (int i = 0; i < 3; i++) {
                    counts[i] += Long.parseLong(parts[i + 1]);
                }
            }
        }
        return merged;
    }

    /** The load clients' stats summed. */
    private record Stats(int open, long reconnections, long refusals, long lastReopen, int[] openByPort) {
        static Stats of(LoadClients clients) {
            int open = 0;
            long reconnections = 0, refusals = 0, lastReopen = 0;
            int[] byPort = null;
            for (Map<String, String> one : clients.askPairs("stats", "STATS ")) {
                open += Integer.parseInt(one.get("open"));
                reconnections += Long.parseLong(one.get("reconnections"));
                refusals += Long.parseLong(one.get("refusals"));
                lastReopen = Math.max(lastReopen, Long.parseLong(one.get("lastReopen")));
                int[] ports = Arrays.stream(one.get("byPort").split("/"))
                        .mapToInt(Integer::parseInt)
                        .toArray();
                if (byPort == null) {
                    byPort = ports;
                } else {
                    for (int i = 0; i < ports.length; i++) {
                        byPort[i] += ports[i];
                    }
                }
            }
            return new Stats(open, reconnections, refusals, lastReopen, byPort);
        }

        int openOn(int instance) {
            return openByPort[instance];
        }

        String byPort() {
            return String.join(
                    " / ", Arrays.stream(openByPort).mapToObj(String::valueOf).toList());
        }
    }

    /**
     * Price alerts through Kafka at a steady rate, on a thread of their own: event {@code i} goes to user
     * {@code i % users} with that user's sequence {@code i / users + 1}.
     */
    private static final class Publisher implements AutoCloseable {
        private final AtomicLong published = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        Publisher(Servers.Gateway gateway, String prefix, int users, int perSecond) {
            long interval = 1_000_000_000L / perSecond;
            thread = Thread.ofPlatform().name("drain-benchmark-publisher").start(() -> {
                long start = System.nanoTime();
                for (long i = 0; running; i++) {
                    long wait = start + i * interval - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    Instant now = Instant.now();
                    gateway.publishToUser(
                            prefix + (i % users),
                            "bench|" + (i / users + 1) + "|"
                                    + (now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000));
                    published.set(i + 1);
                }
            });
        }

        long published() {
            return published.get();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void print(Result r) {
        StringBuilder perSecond = new StringBuilder();
        r.perSecond()
                .forEach(n -> perSecond.append(perSecond.isEmpty() ? "" : " ").append(n));
        StringBuilder endedPerSecond = new StringBuilder();
        r.endedPerSecond()
                .forEach(n -> endedPerSecond
                        .append(endedPerSecond.isEmpty() ? "" : " ")
                        .append(n));
        System.out.printf(
                Locale.ROOT,
                "%s: %d streams ended by the stop over %.0f s (1-second buckets), %d reconnections%n"
                        + "  streams ended per second from SIGTERM:  %s%n"
                        + "  reconnections per second from SIGTERM: %s%n"
                        + "  peak %d/s, mean %.0f/s (first to last reconnection); bound %s: %s%n"
                        + "  every stream open again %.1f s after SIGTERM; instance ended %.1f s after SIGTERM (%s),"
                        + " ready again %.1f s after its start; per instance after: %s; refused connections %d%n"
                        + "  %,d events published; %s%n",
                r.label(),
                r.drained(),
                r.partingSeconds(),
                r.reconnections(),
                endedPerSecond,
                perSecond,
                r.peakPerSecond(),
                r.meanPerSecond(),
                Double.isInfinite(r.bound())
                        ? "none (no window)"
                        : String.format(
                                Locale.ROOT,
                                "%.0f/s (%d / %s + %d %%)",
                                r.bound(),
                                r.drained(),
                                seconds(r.window()),
                                TOLERANCE_PERCENT),
                Double.isInfinite(r.bound()) ? "-" : r.peakPerSecond() <= r.bound() ? "within" : "over",
                r.reestablishedSeconds(),
                r.stopSeconds(),
                r.graceful() ? "by itself" : "SIGKILL",
                r.readyAgainSeconds(),
                r.spreadAfter(),
                r.refusals(),
                r.published(),
                r.check());
    }

    private static final String HEADER =
            "| round | streams | on the stopped instance | retry | peak reconnections/s | mean/s | bound/s | all open again after | lost | dup |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|";

    private void report(List<Result> results) throws IOException {
        StringBuilder table = new StringBuilder(HEADER).append('\n');
        for (Result r : results) {
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %,d | %s | %,d | %,.0f | %s | %.1f s | %d | %d |%n",
                    r.label(),
                    r.streams(),
                    r.drained(),
                    seconds(r.retry()),
                    r.peakPerSecond(),
                    r.meanPerSecond(),
                    Double.isInfinite(r.bound()) ? "-" : String.format(Locale.ROOT, "%,.0f", r.bound()),
                    r.reestablishedSeconds(),
                    r.lost(),
                    r.duplicates()));
        }
        System.out.println();
        System.out.println(table);
        Files.writeString(logs.resolve("results.md"), table);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** A Redis of the benchmark's own (nothing kept on disk), shared by the instances. */
    private Process redis() {
        Process redis = ServerProcesses.start(
                List.of(
                        "redis-server",
                        "--port",
                        String.valueOf(REDIS_PORT),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no"),
                logs.resolve("redis.log"),
                Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", REDIS_PORT), 500);
                return redis;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !redis.isAlive()) {
                    throw new UncheckedIOException("redis-server did not start; see " + logs.resolve("redis.log"), e);
                }
                LockSupport.parkNanos(100_000_000L);
            }
        }
    }

    /** A benchmark phase's length (not a test wait). */
    private static void pause(Duration length) {
        LockSupport.parkNanos(length.toNanos());
    }
}
