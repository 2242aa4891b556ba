package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.testing.ServerProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What one upgrade costs the whole platform, process by process, with users as the app has them: N users
 * arrive, each opens their SSE stream through api-gateway, requests the upgrade, signs and sends the burn
 * with their own ed25519 wallet, confirms it and waits on the stream for the upgrade's end, at most C of
 * them at a time; every stream stays open until the run ends. The services run with the production images'
 * JVM flags and reach PostgreSQL and the Solana node directly (no fault relays). After a warm-up round of
 * upgrades by other users, the measured round reads each process's CPU time (user + kernel, {@code /proc})
 * just before and just after, and divides by the upgrades completed. Ten idle seconds after the run give each
 * process's CPU with nobody upgrading (timers, polls), the share of a slow run's figure that is time, not work;
 * the JVMs' JIT compiler threads are reported apart, the share that is warm-up still going on.
 *
 * <p>{@code ./mvnw -Pbenchmark -pl system-tests -am verify -Dit.test=PlatformBenchmark}; options
 * {@code -Dbenchmark.users=300}, {@code -Dbenchmark.concurrency=50}, {@code -Dbenchmark.warmup=100} (upgrades
 * of the warm-up round), {@code -Dbenchmark.profile=hottest} (a flight recording of the service with the most
 * CPU per upgrade in the warm-up, over the measured round; or a service's name, or {@code none}). Results also
 * go to {@code target/platform-benchmark/results.md}.
 *
 * <p>PostgreSQL's figure is its server process and every backend (exited ones through the server's
 * accumulated children's time); Redis's is its {@code redis-server} process. The load client is this JVM:
 * the users, their streams and wallets, and the SMTP and FCM stand-ins the notification service sends to.
 *
 * <p>What the measured round's work was made of is printed beside it, per completed upgrade: PostgreSQL's
 * transactions and rows, the Kafka records produced per topic and consumed by the groups, and upgrade-service's
 * Solana RPC calls ({@link PlatformCounts}).
 */
class PlatformBenchmark {

    private static final Path OUT = Path.of("target", "platform-benchmark").toAbsolutePath();
    private static final Duration UPGRADE_WITHIN = Duration.ofMinutes(10);
    private static final int IDLE_SECONDS = 10;
    private static final String PLATFORM = "platform (six services, Kafka, PostgreSQL, Redis)";
    private static final String CHAIN = "local chain (node)";
    private static final String CLIENT = "load client (this JVM)";

    /** A user ready to upgrade: signed in with their own wallet, which holds their tier-1 NFT. */
    private record Ready(User user, Wallet wallet) {}

    /** One upgrade as its user saw it, in nanoseconds. */
    private record Outcome(String status, long post, long confirm, long confirmToEnd) {}

    /** A round's upgrades and the streams its users still hold. */
    private record Round(List<Outcome> outcomes, List<EventStream> streams, double seconds) {
        long completed() {
            return outcomes.stream().filter(o -> o.status().equals("completed")).count();
        }
    }

    @Test
    void cpuOfEveryProcessPerUpgradeWithUsersHoldingStreams() throws Exception {
        int users = Integer.getInteger("benchmark.users", 300);
        int concurrency = Integer.getInteger("benchmark.concurrency", 50);
        int warmup = Integer.getInteger("benchmark.warmup", 100);
        String profile = System.getProperty("benchmark.profile", "hottest");
        Files.createDirectories(OUT);

        System.setProperty(Platform.JVM_PROPERTY, "image");
        System.setProperty(Platform.FAULTS_PROPERTY, "false");
        Platform platform = Platform.get();
        Map<String, Supplier<Long>> processes = processes(platform);

        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Ready> warmUsers = ready(platform, "warm-" + run, warmup, concurrency);
        List<Ready> measuredUsers = ready(platform, "bench-" + run, users, concurrency);

        Map<String, Long> warmBefore = snapshot(processes);
        Round warm = round(platform, warmUsers, concurrency);
        Map<String, Long> warmCpu = minus(snapshot(processes), warmBefore);
        warm.streams().forEach(EventStream::close);
        System.out.printf(
                Locale.ROOT,
                "[benchmark] warm-up: %d/%d upgrades completed in %.1f s%n",
                warm.completed(),
                warmup,
                warm.seconds());

        String profiled = profile.equals("hottest")
                ? Platform.SERVICES.keySet().stream()
                        .max(Comparator.comparing(warmCpu::get))
                        .orElseThrow()
                : profile;
        Path recording = OUT.resolve(profiled + ".jfr");
        boolean recorded = !profile.equals("none");
        if (recorded) {
            jcmd(platform, profiled, "JFR.start", "name=platform-benchmark", "settings=profile");
        }

        int retried503 = User.answered503.get();
        int retried429 = User.answered429.get();
        int retriedBroken = User.brokenConnections.get();
        Map<String, Supplier<Long>> compilers = compilers(platform);
        Thread.sleep(PlatformCounts.SETTLE);
        PlatformCounts.Snapshot countsBefore = PlatformCounts.take(platform);
        Map<String, Long> compilersBefore = snapshot(compilers);
        var histogramsBefore = LatencyHistograms.scrape(platform, LatencyHistograms.UPGRADE_PATH);
        Map<String, Long> before = snapshot(processes);
        Round measured = round(platform, measuredUsers, concurrency);
        Map<String, Long> cpu = minus(snapshot(processes), before);
        var histograms = LatencyHistograms.minus(
                LatencyHistograms.scrape(platform, LatencyHistograms.UPGRADE_PATH), histogramsBefore);
        Map<String, Long> compiling = minus(snapshot(compilers), compilersBefore);
        retried503 = User.answered503.get() - retried503;
        retried429 = User.answered429.get() - retried429;
        retriedBroken = User.brokenConnections.get() - retriedBroken;
        measured.streams().forEach(EventStream::close);

        if (recorded) {
            jcmd(platform, profiled, "JFR.dump", "name=platform-benchmark", "filename=" + recording);
            jcmd(platform, profiled, "JFR.stop", "name=platform-benchmark");
        }
        // What each process spends with nobody upgrading (outbox relays, consumers' polls, timers): the part
        // of a slow run's CPU per upgrade that is time, not work.
        Map<String, Long> idleBefore = snapshot(processes);
        long idleStarted = System.nanoTime();
        Thread.sleep(Duration.ofSeconds(IDLE_SECONDS));
        double idleSeconds = (System.nanoTime() - idleStarted) / 1e9;
        Map<String, Long> idle = minus(snapshot(processes), idleBefore);
        // What the round's work was made of (transactions, rows, records, RPC calls), less the background.
        Thread.sleep(PlatformCounts.SETTLE);
        PlatformCounts.Snapshot countsAfter = PlatformCounts.take(platform);
        Thread.sleep(PlatformCounts.SETTLE);
        PlatformCounts.Snapshot countsQuiet = PlatformCounts.take(platform);

        String report = report(
                users,
                concurrency,
                warmup,
                measured,
                cpu,
                compiling,
                idle,
                idleSeconds,
                retried503,
                retried429,
                retriedBroken,
                recorded,
                recording);
        report += System.lineSeparator()
                + "The services' latency histograms over the measured round (what the dashboards plot):"
                + System.lineSeparator() + System.lineSeparator() + LatencyHistograms.table(histograms);
        report += System.lineSeparator()
                + "What the round's work was made of, per completed upgrade (the background of the quiet"
                + " seconds after it taken off):" + System.lineSeparator() + System.lineSeparator()
                + PlatformCounts.perUpgrade(countsBefore, countsAfter, countsQuiet, measured.completed());
        System.out.println("\nBENCHMARK platform CPU per upgrade\n" + report);
        Files.writeString(OUT.resolve("results.md"), "# platform CPU per upgrade\n" + report);

        assertThat(measured.outcomes()).hasSize(users);
        assertThat(measured.completed()).as("every upgrade completed").isEqualTo(users);

        String abJar = System.getProperty("benchmark.ab.jar", "");
        if (!abJar.isBlank()) {
            String abService = System.getProperty("benchmark.ab.service", "upgrade-service");
            int abRounds = Integer.getInteger("benchmark.ab.rounds", 2);
            String ab = abTest(platform, processes, abService, Path.of(abJar), abRounds, users, warmup, concurrency);
            System.out.println("\nBENCHMARK A/B of two builds of " + abService + "\n" + ab);
            Files.writeString(OUT.resolve("ab.md"), "# A/B of two builds of " + abService + "\n" + ab);
        }
    }

    /**
     * Two builds of one service, alternating (this build, the other jar, this build, ...): before each
     * measured round the service is restarted from that build's jar and warmed up; reports the service's
     * and the platform's CPU per completed upgrade of each round. Alternating rounds in one run is what makes
     * two builds comparable on a shared host.
     */
    private static String abTest(
            Platform platform,
            Map<String, Supplier<Long>> processes,
            String service,
            Path other,
            int rounds,
            int users,
            int warmup,
            int concurrency)
            throws Exception {
        Map<String, Path> builds = new java.util.LinkedHashMap<>();
        builds.put("this build", platform.jarOf(service));
        builds.put(other.getFileName().toString(), other);
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "%n%d rounds per build of %d upgrades (%d at a time) after %d warm-up upgrades each%n%n"
                        + "| round | build | upgrades/s | %s CPU ms per upgrade | platform CPU ms per upgrade |%n"
                        + "|---|---|---|---|---|%n",
                rounds,
                users,
                concurrency,
                warmup,
                service));
        Map<String, List<Double>> serviceCpu = new java.util.LinkedHashMap<>();
        String run = Long.toString(System.currentTimeMillis(), 36);
        for (int r = 1; r <= rounds; r++) {
            for (Map.Entry<String, Path> build : builds.entrySet()) {
                platform.stop(service);
                platform.launch(service, build.getValue());
                platform.awaitReady(service);
                String tag = "ab" + r + (build.getKey().equals("this build") ? "a" : "b") + "-" + run;
                Round warm = round(platform, ready(platform, "warm-" + tag, warmup, concurrency), concurrency);
                warm.streams().forEach(EventStream::close);
                List<Ready> measuredUsers = ready(platform, tag, users, concurrency);
                Map<String, Long> before = snapshot(processes);
                Round measured = round(platform, measuredUsers, concurrency);
                Map<String, Long> cpu = minus(snapshot(processes), before);
                measured.streams().forEach(EventStream::close);
                double perUpgrade = Math.max(1, measured.completed());
                double ofService = millis(cpu.get(service)) / perUpgrade;
                serviceCpu
                        .computeIfAbsent(build.getKey(), k -> new ArrayList<>())
                        .add(ofService);
                out.append(String.format(
                        Locale.ROOT,
                        "| %d | %s | %.1f | %.1f | %.1f |%n",
                        r,
                        build.getKey(),
                        measured.completed() / measured.seconds(),
                        ofService,
                        millis(platform(cpu)) / perUpgrade));
            }
        }
        platform.stop(service);
        platform.launch(service);
        platform.awaitReady(service);
        out.append(String.format(Locale.ROOT, "%n"));
        serviceCpu.forEach((build, figures) -> out.append(String.format(
                Locale.ROOT,
                "%s: %s CPU ms per upgrade, mean of %d rounds %.1f%n",
                build,
                service,
                figures.size(),
                figures.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN))));
        return out.toString();
    }

    /** Users signed in with a new wallet each, funded, holding a tier-1 NFT and qualified for tier 2. */
    private static List<Ready> ready(Platform platform, String prefix, int count, int concurrency) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        List<Future<Ready>> made = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                String id = prefix + "-" + i;
                made.add(executor.submit(() -> {
                    inFlight.acquire();
                    try {
                        Wallet wallet = Wallet.create(platform);
                        User user = User.signIn(platform, id, wallet);
                        user.receiveTierOneNft(wallet);
                        return new Ready(user, wallet);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        }
        List<Ready> ready = new ArrayList<>();
        for (Future<Ready> f : made) {
            ready.add(f.get());
        }
        return ready;
    }

    /** Every user of the round arrives at once; at most {@code concurrency} are between arrival and the end. */
    private static Round round(Platform platform, List<Ready> users, int concurrency) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        List<EventStream> streams = Collections.synchronizedList(new ArrayList<>());
        List<Future<Outcome>> work = new ArrayList<>();
        long started = System.nanoTime();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Ready user : users) {
                work.add(executor.submit(() -> {
                    inFlight.acquire();
                    try {
                        return upgrade(platform, user, streams);
                    } catch (Exception e) {
                        // Reported with the figures, which cover the completed upgrades.
                        return new Outcome("failed: " + e, 0, 0, 0);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : work) {
            outcomes.add(f.get());
        }
        return new Round(outcomes, List.copyOf(streams), seconds);
    }

    /** One user's upgrade, as the app does it; the stream stays open for the caller to close. */
    private static Outcome upgrade(Platform platform, Ready ready, List<EventStream> streams) throws Exception {
        User user = ready.user();
        EventStream stream = EventStream.open(platform, user);
        streams.add(stream);
        stream.awaitEvent(e -> e.type().equals("connection_established"), Duration.ofSeconds(60))
                .orElseThrow(() -> new IllegalStateException(user.id + "'s stream did not open"));
        long t0 = System.nanoTime();
        JsonNode upgrade = user.requestUpgrade();
        long requested = System.nanoTime();
        String id = upgrade.path("upgradeId").asString();
        String signature = ready.wallet()
                .signAndSend(platform, upgrade.path("burnTransaction").asString());
        long confirming = System.nanoTime();
        User.Reply confirmed = user.confirmBurn(id, signature);
        long confirmedAt = System.nanoTime();
        if (confirmed.status() != 202) {
            throw new IllegalStateException("confirm-burn: " + confirmed);
        }
        Optional<EventStream.Event> end = stream.awaitEvent(
                e -> e.type().equals("nft_upgrade_status")
                        && e.data().path("upgradeId").asString().equals(id)
                        && Journeys.isTerminal(e.data().path("status").asString()),
                UPGRADE_WITHIN);
        long ended = System.nanoTime();
        return new Outcome(
                end.map(e -> e.data().path("status").asString()).orElse("no end within " + UPGRADE_WITHIN),
                requested - t0,
                confirmedAt - confirming,
                ended - confirming);
    }

    // ---- CPU time from /proc -------------------------------------------------------------------------------

    /** Each measured process by its name in the report, with how to read its CPU time in clock ticks. */
    private static Map<String, Supplier<Long>> processes(Platform platform) {
        Map<String, Supplier<Long>> processes = new LinkedHashMap<>();
        for (String service : Platform.SERVICES.keySet()) {
            processes.put(service, () -> ticks(platform.processesOf(service), false));
        }
        processes.put(
                Platform.SECOND_SSE_GATEWAY, () -> ticks(platform.processesOf(Platform.SECOND_SSE_GATEWAY), false));
        processes.put("Kafka broker", () -> ticks(platform.processesOf("kafka"), false));
        // A backend that ends during the run is counted by the server's children's time once it is reaped.
        processes.put("PostgreSQL", () -> ticks(withChildren(named("postgres")), true));
        processes.put("Redis", () -> ticks(named("redis-server"), true));
        processes.put(CHAIN, () -> ticks(platform.processesOf("solana-local"), false));
        processes.put(CLIENT, () -> ticks(List.of(ProcessHandle.current()), false));
        return processes;
    }

    /**
     * The JVMs' JIT compiler threads: their share of a process's figure is warm-up still going on, not the
     * work of an upgrade. A compiler thread that ends (HotSpot stops idle ones) takes its time with it, so
     * this is a lower bound.
     */
    private static Map<String, Supplier<Long>> compilers(Platform platform) {
        Map<String, Supplier<Long>> compilers = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(Platform.SERVICES.keySet());
        names.add(Platform.SECOND_SSE_GATEWAY);
        names.add("kafka");
        for (String name : names) {
            compilers.put(
                    name.equals("kafka") ? "Kafka broker" : name, () -> compilerTicks(platform.processesOf(name)));
        }
        compilers.put(CLIENT, () -> compilerTicks(List.of(ProcessHandle.current())));
        return compilers;
    }

    private static long compilerTicks(List<ProcessHandle> jvm) {
        return ServerProcesses.threadCpu(jvm, List.of("C1 CompilerThre", "C2 CompilerThre"))
                        .total()
                / (1_000_000_000L / TICKS_PER_SECOND);
    }

    private static Map<String, Long> snapshot(Map<String, Supplier<Long>> processes) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        processes.forEach((name, read) -> ticks.put(name, read.get()));
        return ticks;
    }

    private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> delta = new LinkedHashMap<>();
        after.forEach((name, ticks) -> delta.put(name, ticks - before.get(name)));
        return delta;
    }

    /** The top processes of a program (those whose parent is not the same program): a server, not its workers. */
    private static List<ProcessHandle> named(String command) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> command.equals(comm(p.pid())))
                    .filter(p -> p.parent()
                            .map(parent -> !command.equals(comm(parent.pid())))
                            .orElse(true))
                    .toList();
        }
    }

    private static List<ProcessHandle> withChildren(List<ProcessHandle> servers) {
        List<ProcessHandle> all = new ArrayList<>(servers);
        servers.forEach(s -> s.children().forEach(all::add));
        return all;
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
                    .trim();
        } catch (IOException gone) {
            return "";
        }
    }

    /**
     * utime + stime of {@code /proc/<pid>/stat} (fields 14 and 15, clock ticks), with {@code reaped} also
     * cutime + cstime (16 and 17: the children it has waited for); a process that has ended counts nothing.
     */
    private static long ticks(List<ProcessHandle> processes, boolean reaped) {
        long total = 0;
        for (ProcessHandle process : processes) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields[0] is field 3 of proc(5)
                total += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                if (reaped) {
                    total += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
                }
            } catch (IOException gone) {
                // ended between listing and reading
            }
        }
        return total;
    }

    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100; // USER_HZ on Linux
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static double millis(long ticks) {
        return ticks * 1000.0 / TICKS_PER_SECOND;
    }

    // ---- profile and report --------------------------------------------------------------------------------

    private static void jcmd(Platform platform, String service, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(
                ServerProcesses.jdkTool("jcmd"),
                Long.toString(platform.processesOf(service).getFirst().pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", line) + ": " + out);
        }
    }

    private static String report(
            int users,
            int concurrency,
            int warmup,
            Round round,
            Map<String, Long> cpu,
            Map<String, Long> compiling,
            Map<String, Long> idle,
            double idleSeconds,
            int retried503,
            int retried429,
            int retriedBroken,
            boolean recorded,
            Path recording) {
        long completed = round.completed();
        List<Long> post = sorted(round, Outcome::post);
        List<Long> confirm = sorted(round, Outcome::confirm);
        List<Long> toEnd = sorted(round, Outcome::confirmToEnd);
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%n%d users, %d at a time, each holding a stream and signing with their own wallet; services with"
                        + " the images' JVM flags; after a warm-up of %d upgrades%n%n",
                users,
                concurrency,
                warmup));
        out.append(String.format(
                Locale.ROOT,
                "| figure | value |%n|---|---|%n"
                        + "| upgrades completed | %d of %d in %.1f s: **%.1f upgrades/s** |%n"
                        + "| POST upgrade p50 / p99 / max | %s / %s / %s ms |%n"
                        + "| confirm-burn p50 / p99 / max | %s / %s / %s ms |%n"
                        + "| confirm-burn -> completed on the stream p50 / p99 | %s / %s ms |%n"
                        + "| client retries: after 503 / after 429 / after a broken connection | %d / %d / %d |%n",
                completed,
                users,
                round.seconds(),
                completed / round.seconds(),
                ms(percentile(post, 50)),
                ms(percentile(post, 99)),
                ms(post.getLast()),
                ms(percentile(confirm, 50)),
                ms(percentile(confirm, 99)),
                ms(confirm.getLast()),
                ms(percentile(toEnd, 50)),
                ms(percentile(toEnd, 99)),
                retried503,
                retried429,
                retriedBroken));
        double perUpgrade = Math.max(1, completed);
        out.append(String.format(
                Locale.ROOT,
                "%n| process | CPU ms per completed upgrade | of which JIT compiler | CPU s over the run | cores busy"
                        + " | idle: CPU ms per s |%n|---|---|---|---|---|---|%n"));
        cpu.forEach((name, ticks) -> {
            if (name.equals(CHAIN)) {
                out.append(row(
                        "**" + PLATFORM + "**",
                        platform(cpu),
                        platform(compiling),
                        platform(idle),
                        perUpgrade,
                        round.seconds(),
                        idleSeconds,
                        true));
            }
            out.append(row(
                    name, ticks, compiling.get(name), idle.get(name), perUpgrade, round.seconds(), idleSeconds, false));
        });
        out.append(row(
                "all of the above",
                cpu.values().stream().mapToLong(Long::longValue).sum(),
                compiling.values().stream().mapToLong(Long::longValue).sum(),
                idle.values().stream().mapToLong(Long::longValue).sum(),
                perUpgrade,
                round.seconds(),
                idleSeconds,
                false));
        round.outcomes().stream()
                .map(Outcome::status)
                .filter(status -> !status.equals("completed"))
                .findFirst()
                .ifPresent(first -> out.append(String.format(
                        Locale.ROOT, "%n%d upgrades did not complete; the first: %s%n", users - completed, first)));
        if (recorded) {
            out.append(String.format(Locale.ROOT, "%nFlight recording of the measured round: %s%n", recording));
        }
        return out.toString();
    }

    private static long platform(Map<String, Long> ticks) {
        return ticks.entrySet().stream()
                .filter(e -> !e.getKey().equals(CHAIN) && !e.getKey().equals(CLIENT))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private static String row(
            String name,
            long ticks,
            @Nullable Long compilerTicks,
            long idleTicks,
            double upgrades,
            double seconds,
            double idleSeconds,
            boolean bold) {
        String perUpgrade = String.format(Locale.ROOT, "%.1f", millis(ticks) / upgrades);
        return String.format(
                Locale.ROOT,
                "| %s | %s | %s | %.1f | %.2f | %.0f |%n",
                name,
                bold ? "**" + perUpgrade + "**" : perUpgrade,
                compilerTicks == null ? "–" : String.format(Locale.ROOT, "%.1f", millis(compilerTicks) / upgrades),
                millis(ticks) / 1000,
                millis(ticks) / 1000 / seconds,
                millis(idleTicks) / idleSeconds);
    }

    /** A latency of the completed upgrades, sorted; at least one element (0 when none completed). */
    private static List<Long> sorted(Round round, java.util.function.ToLongFunction<Outcome> figure) {
        List<Long> sorted = round.outcomes().stream()
                .filter(o -> o.status().equals("completed"))
                .mapToLong(figure)
                .sorted()
                .boxed()
                .toList();
        return sorted.isEmpty() ? List.of(0L) : sorted;
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%,d", nanos / 1_000_000);
    }
}
