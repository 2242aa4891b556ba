package com.aiw3.local;

import com.aiw3.events.trading.TradingEvent.TradeRecorded;
import com.aiw3.web.IdentityKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the whole suite on the developer's machine: {@code ./run-local} (see README). Ctrl-C stops every process
 * it started, services first (gracefully), the broker last.
 */
public final class LocalRuntime {

    private static final int EMBEDDED_PG_PORT = 55432;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /** JVM options of every service process: small and quick to start on a developer machine. */
    public static final List<String> SERVICE_JVM = List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xms64m",
            "-Xmx384m",
            "-Xss512k",
            "--enable-native-access=ALL-UNNAMED");

    private LocalRuntime() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("announce")) {
            String message =
                    args.length > 1 ? String.join(" ", List.of(args).subList(1, args.length)) : "Hello from AIW3";
            var event = Announcement.publish(message);
            System.out.printf(
                    "published %s %s on %s%n",
                    event.type(), event.eventId(), event.topic().name());
            return;
        }
        if (args.length >= 1 && args[0].equals("trade")) {
            trade(args);
            return;
        }
        Path repo =
                Path.of(System.getProperty("aiw3.repo", ".")).toAbsolutePath().normalize();
        if (args.length >= 1 && args[0].equals("trace")) {
            int code = LocalTraces.run(List.of(args).subList(1, args.length), repo.resolve(".local-run"), System.out);
            System.exit(code);
            return;
        }
        try {
            run(repo, args);
        } catch (Exception failed) {
            // Exits, so the shutdown hooks stop what had started (the trace receiver's thread would keep it up).
            failed.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(Path repo, String[] args) throws Exception {
        Path work = Files.createDirectories(repo.resolve(".local-run"));
        boolean withPrometheus = List.of(args).contains("--prometheus");
        boolean withTraces = List.of(args).contains("--traces");
        requireFreePorts(withPrometheus, withTraces);
        long started = System.nanoTime();
        Processes processes = new Processes(work.resolve("logs"));
        EmbeddedPostgres[] embedded = new EmbeddedPostgres[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping: services first, then Kafka ...");
            processes.stopAll(Duration.ofSeconds(35));
            if (embedded[0] != null) {
                try {
                    embedded[0].close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }
            System.out.println("stopped; nothing left running.");
        }));

        Map<String, String> env = new HashMap<>();
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", LocalKafka.BOOTSTRAP);
        env.put("AIW3_MESSAGING_TOPICS_MAX_PARTITIONS", Integer.toString(LocalKafka.LOCAL_PARTITIONS));
        String database;
        if (Waits.portOpen(5432)) {
            database = "PostgreSQL server at 127.0.0.1:5432, database test (one schema per service)";
        } else {
            embedded[0] = EmbeddedPostgres.builder()
                    .setPort(EMBEDDED_PG_PORT)
                    .setDataDirectory(work.resolve("postgres"))
                    .setCleanDataDirectory(false)
                    .start();
            env.put("AIW3_DB_PORT", Integer.toString(EMBEDDED_PG_PORT));
            env.put("AIW3_DB_NAME", "postgres");
            database = "embedded PostgreSQL at 127.0.0.1:" + EMBEDDED_PG_PORT
                    + " (no server on 5432), data in .local-run/postgres";
        }
        String redis = startRedisIfMissing(processes);
        if (withTraces) {
            TraceReceiver traces = TraceReceiver.toFile(TraceReceiver.PORT, work.resolve(LocalTraces.SPANS_FILE));
            Runtime.getRuntime().addShutdownHook(new Thread(traces::close));
            env.putAll(tracesEnv(traces.endpoint()));
        }

        System.out.println("database: " + database + "\nredis:    " + redis);
        System.out.println("starting Kafka (KRaft, standalone) ...");
        LocalKafka kafka = new LocalKafka(work.resolve("kafka"), processes);
        kafka.start();
        kafka.createTopics();

        LocalMail mail = new LocalMail(work.resolve("logs/mail.log"));
        Runtime.getRuntime().addShutdownHook(new Thread(mail::close));
        env.put("SPRING_MAIL_HOST", "127.0.0.1");
        env.put("SPRING_MAIL_PORT", Integer.toString(LocalMail.PORT));
        env.put("AIW3_NOTIFICATION_SUPPORT_EMAILS", "support@aiw3.local");

        System.out.println("starting the local Solana node (LiteSVM) ...");
        LocalChain.DevKeys chain = LocalChain.start(repo, work, processes);

        System.out.println("starting services ...");
        IdentityKeys identityKeys = IdentityKeys.generate("aiw3-local");
        for (LocalService service : LocalService.ALL) {
            Path jar = service.jar(repo);
            if (!Files.exists(jar)) {
                throw new IllegalStateException(
                        jar + " is missing: ./run-local builds it; run it from the repository root");
            }
            List<String> command = new ArrayList<>();
            command.add(Processes.javaExecutable());
            command.addAll(SERVICE_JVM);
            command.add("-jar");
            command.add(jar.toString());
            Map<String, String> serviceEnv = new HashMap<>(env);
            serviceEnv.put("SPRING_PROFILES_ACTIVE", "local");
            serviceEnv.putAll(service.identityEnv(identityKeys));
            serviceEnv.putAll(LocalPrometheus.SCRAPED_SERVICE_ENV);
            serviceEnv.putAll(service.devTokenEnv(work));
            if (service.name().equals("upgrade-service")) {
                serviceEnv.putAll(LocalChain.upgradeServiceEnv(chain));
            }
            if (service.name().equals("api-gateway")) {
                serviceEnv.putAll(demoPageEnv(repo));
            }
            processes.start(service.name(), command, serviceEnv);
        }
        awaitReady(processes);
        if (withPrometheus) {
            System.out.println("starting Prometheus (scraping every service, the alert rules of deploy/k8s) ...");
            Map<String, Integer> targets = new java.util.LinkedHashMap<>();
            LocalService.ALL.forEach(s -> targets.put(s.name(), s.port()));
            LocalPrometheus.start(repo, work, processes, LocalPrometheus.PORT, targets, Duration.ofSeconds(5));
        }
        printSummary(repo, Duration.ofNanos(System.nanoTime() - started), database, redis, chain);
        if (withPrometheus) {
            System.out.printf(
                    "  prometheus:  http://127.0.0.1:%d (alerts: /alerts; log .local-run/logs/prometheus.log)%n%n",
                    LocalPrometheus.PORT);
        }
        if (withTraces) {
            System.out.printf(
                    "  traces:      every span to 127.0.0.1:%d (OTLP/HTTP), one JSON line each in .local-run/%s%n"
                            + "               ./run-local trace <traceId>   or   ./run-local trace --upgrade <upgradeId>%n%n",
                    TraceReceiver.PORT, LocalTraces.SPANS_FILE);
        }
        Thread.currentThread().join();
    }

    /**
     * With {@code --traces}, for every service: its spans exported to the local run's receiver, within a second
     * of their end, and the hops of an event (the outbox write and relay, each consumer, sse-gateway's hand-over,
     * api-gateway's routing) logged at DEBUG, each line carrying its trace id.
     */
    static Map<String, String> tracesEnv(String endpoint) {
        return Map.of(
                "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", endpoint,
                "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULEDELAY", "1s",
                "LOGGING_LEVEL_COM_AIW3_MESSAGING", "DEBUG",
                "LOGGING_LEVEL_COM_AIW3_SSE_FEED", "DEBUG",
                "LOGGING_LEVEL_COM_AIW3_GATEWAY_TRACING", "DEBUG");
    }

    /**
     * api-gateway's settings that serve the demo page ({@code frontend/demo}) and the client library it imports
     * ({@code frontend/client/dist}) at {@code /demo/}: the local run's, and the system tests' for the browser tests.
     */
    public static Map<String, String> demoPageEnv(Path repo) {
        return Map.of(
                "SPRING_WEBFLUX_STATIC_PATH_PATTERN",
                "/demo/**",
                "SPRING_WEB_RESOURCES_STATIC_LOCATIONS",
                "file:" + repo.resolve("frontend/demo") + "/,file:" + repo.resolve("frontend/client/dist") + "/");
    }

    /** {@code trade <userId> <amountUsd> [tradeId]}: one trade on trading-activity, as the trading platform sends it. */
    private static void trade(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: ./run-local trade <userId> <amountUsd> [tradeId]");
            System.exit(2);
        }
        String tradeId = args.length == 4 ? args[3] : TradePublisher.newTradeId();
        TradeRecorded trade;
        try {
            trade = TradePublisher.trade(args[1], args[2], tradeId);
        } catch (IllegalArgumentException | NullPointerException e) {
            System.err.println("not a trade: " + e.getMessage());
            System.exit(2);
            return;
        }
        var event = TradePublisher.publish(LocalKafka.BOOTSTRAP, trade);
        System.out.printf(
                "published %s %s on %s: trade %s, %s USD for %s%n",
                event.type(),
                event.eventId(),
                event.topic().name(),
                trade.tradeId(),
                trade.amountUsd().toPlainString(),
                trade.userId());
    }

    private static void requireFreePorts(boolean withPrometheus, boolean withTraces) {
        List<Integer> ports = new ArrayList<>(List.of(
                LocalKafka.PORT,
                LocalKafka.CONTROLLER_PORT,
                LocalChain.RPC_PORT,
                LocalChain.IPFS_PORT,
                LocalMail.PORT));
        if (withPrometheus) {
            ports.add(LocalPrometheus.PORT);
        }
        if (withTraces) {
            ports.add(TraceReceiver.PORT);
        }
        LocalService.ALL.forEach(s -> ports.add(s.port()));
        List<Integer> taken = ports.stream().filter(Waits::portOpen).toList();
        if (!taken.isEmpty()) {
            throw new IllegalStateException("ports already in use: " + taken + " (is another local run still up?)");
        }
    }

    private static String startRedisIfMissing(Processes processes) throws IOException, InterruptedException {
        if (Waits.portOpen(6379)) {
            return "Redis at 127.0.0.1:6379";
        }
        Path redisServer = onPath("redis-server");
        processes.start(
                "redis",
                List.of(
                        redisServer.toString(),
                        "--port",
                        "6379",
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no"),
                Map.of());
        Waits.untilPortOpen("redis", 6379, 20);
        return "Redis started by the local run at 127.0.0.1:6379";
    }

    /** An executable on PATH; ./run-local checks the required ones before it builds. */
    private static Path onPath(String name) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        name + " is not on PATH and nothing answers on its port: apt-get install -y " + name));
    }

    private static void awaitReady(Processes processes) throws InterruptedException {
        long begun = System.nanoTime();
        long deadline = begun + READY_TIMEOUT.toNanos();
        long nextReport = begun + Duration.ofSeconds(5).toNanos();
        List<LocalService> pending = new ArrayList<>(LocalService.ALL);
        System.out.printf(
                "waiting for each service's readiness probe (GET <url>/actuator/health/readiness, up to %d s):%n",
                READY_TIMEOUT.toSeconds());
        while (!pending.isEmpty()) {
            for (LocalService service : List.copyOf(pending)) {
                if (!processes.alive(service.name())) {
                    throw new IllegalStateException(
                            service.name() + " exited during start-up; see " + processes.logOf(service.name()));
                }
                if (Waits.ready(service.baseUrl())) {
                    System.out.printf(
                            "  %-22s ready after %3d s (%s)%n", service.name(), seconds(begun), service.baseUrl());
                    pending.remove(service);
                }
            }
            if (!pending.isEmpty() && System.nanoTime() > nextReport) {
                nextReport += Duration.ofSeconds(5).toNanos();
                System.out.printf(
                        "  ... %3d s, still waiting for %s%n",
                        seconds(begun),
                        String.join(
                                ", ",
                                pending.stream()
                                        .map(s -> s.name() + " (" + s.baseUrl() + ")")
                                        .toList()));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready within " + READY_TIMEOUT + ": " + pending);
            }
            Thread.sleep(500);
        }
    }

    private static long seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toSeconds();
    }

    private static void printSummary(
            Path repo, Duration took, String database, String redis, LocalChain.DevKeys chain) {
        StringBuilder out = new StringBuilder();
        out.append("\nAIW3 platform is up in ").append(took.toSeconds()).append(" s. Ctrl-C stops everything.\n\n");
        out.append(String.format("  %-22s %-24s %s%n", "service", "url", "log"));
        for (LocalService service : LocalService.ALL) {
            out.append(String.format(
                    "  %-22s %-24s %s%n",
                    service.name(),
                    service.baseUrl(),
                    repo.relativize(repo.resolve(".local-run/logs/" + service.name() + ".log"))));
        }
        out.append(String.format(
                "  %-22s %-24s %s%n", "kafka (KRaft)", LocalKafka.BOOTSTRAP, ".local-run/logs/kafka.log"));
        out.append(String.format(
                "  %-22s %-24s %s%n",
                "solana-local (LiteSVM)",
                "http://127.0.0.1:" + LocalChain.RPC_PORT,
                ".local-run/logs/solana-local.log"));
        out.append(String.format(
                "  %-22s %-24s %s%n",
                "smtp sink (GreenMail)", "127.0.0.1:" + LocalMail.PORT, ".local-run/logs/mail.log"));
        out.append("\n  dev holder: user ")
                .append(LocalChain.DEV_USER)
                .append(", wallet ")
                .append(chain.devWallet())
                .append(", tier-1 NFT ")
                .append(chain.devNftMint())
                .append("\n  upgrade it: README.md, \"Upgrade an NFT on the local chain\"\n");
        out.append("\n  database: ")
                .append(database)
                .append("\n  redis:    ")
                .append(redis)
                .append('\n');
        out.append("\n  health:      curl -s localhost:8080/actuator/health/readiness\n");
        out.append("  metrics:     curl -s localhost:8081/actuator/prometheus | grep aiw3_\n");
        out.append("  demo page:   http://localhost:8080/demo/index.html\n");
        out.append("  one trade:   ./run-local trade <userId> 600000   (adds to the user's trading volume)\n");
        out.append("  one event:   ./run-local announce \"New trading pairs\"   then\n");
        out.append("               curl -s 'localhost:8085/api/v1/audit/events?type=FeatureAnnounced'\n");
        System.out.println(out);
    }
}
