package com.aiw3.system;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.aiw3.local.LocalChain;
import com.aiw3.local.LocalKafka;
import com.aiw3.local.LocalPrometheus;
import com.aiw3.local.LocalRuntime;
import com.aiw3.local.LocalService;
import com.aiw3.local.Processes;
import com.aiw3.local.Waits;
import com.aiw3.testing.FakeGoogleServiceAccount;
import com.aiw3.testing.TcpProxy;
import com.aiw3.web.IdentityKeys;
import com.aiw3.web.IdentitySigner;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The platform as deployed, on the machine that runs the tests: a KRaft broker, the local Solana node, PostgreSQL and
 * Redis, and every service jar in its own JVM. Started once per test JVM, stopped by a shutdown hook.
 * Ports are the local run's plus 10,000, so a running {@code ./run-local} does not collide.
 *
 * <p>Between the services and two of their dependencies sit fault injectors: TCP relays in front of
 * PostgreSQL, one for upgrade-service ({@link #database()}) and one for the services that only consume
 * events ({@link #consumersDatabase()}), and a JSON-RPC relay in front of the Solana node ({@link #rpc()}).
 */
final class Platform {

    static final String DATABASE = "aiw3_systest";
    /** Every service in the local run's start order, on its local port plus {@link #PORT_OFFSET}. */
    static final Map<String, Integer> SERVICES = new LinkedHashMap<>();

    private static final int PORT_OFFSET = 10_000;

    static {
        LocalService.ALL.forEach(service -> SERVICES.put(service.name(), service.port() + PORT_OFFSET));
    }

    private static final int KAFKA_PORT = 19092;
    private static final int NODE_PORT = 18899;
    private static final int IPFS_PORT = 15001;
    private static final int RPC_PROXY_PORT = 18898;
    private static final int PG_PROXY_PORT = 15432;
    private static final int CONSUMERS_PG_PROXY_PORT = 15433;
    /** The services that only consume events: their database is reached through {@link #consumersDatabase()}. */
    static final List<String> CONSUMING_SERVICES =
            List.of("notification-service", "analytics-service", "audit-service");
    /**
     * The consuming services' wait for a database connection: short, so each attempt during an outage fails
     * within seconds (the services' default is Hikari's 30 s).
     */
    static final Duration CONSUMERS_CONNECTION_TIMEOUT = Duration.ofSeconds(3);

    private static final int SMTP_PORT = 12525;
    private static final int PROMETHEUS_PORT = 19090;
    private static final int GOOGLE_PORT = 18444;
    static final String FCM_PROJECT = "aiw3-systest";
    static final String FCM_PATH = "/v1/projects/" + FCM_PROJECT + "/messages:send";
    private static final Duration READY = Duration.ofMinutes(4);

    /** The identity key pair of this run: api-gateway signs with it, the services verify with it. */
    static final IdentityKeys IDENTITY_KEYS = IdentityKeys.generate("aiw3-system-test");

    private static final IdentitySigner IDENTITY_SIGNER =
            IdentitySigner.fromJwk(IDENTITY_KEYS.signingKey(), Duration.ofMinutes(5), java.time.Clock.systemUTC());

    /** The identity api-gateway would sign for a user, for calls made to a service directly (benchmarks). */
    static String identityOf(String userId, String roles) {
        return IDENTITY_SIGNER
                .sign(
                        userId,
                        null,
                        List.of(roles.split(",")),
                        java.time.Instant.now().plus(Duration.ofHours(1)),
                        "s-" + userId)
                .value();
    }

    private static Platform started;
    private static RuntimeException failed;

    final Path repo;
    private final Path work;
    private final Processes processes;
    private final LocalKafka kafka;
    private final GreenMail mail;
    private final WireMockServer google;
    private final RpcProxy rpc;
    private final TcpProxy database;
    private final TcpProxy consumersDatabase;
    private LocalChain.DevKeys chain;
    private LocalPrometheus prometheus;

    private Platform() throws IOException {
        this.repo = Path.of("").toAbsolutePath().getParent();
        this.work = Path.of("target/system").toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        this.processes = new Processes(work.resolve("logs"));
        this.kafka = new LocalKafka(work.resolve("kafka"), processes, KAFKA_PORT, KAFKA_PORT + 1);
        this.mail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        this.google = new WireMockServer(options().port(GOOGLE_PORT).bindAddress("127.0.0.1"));
        this.rpc = new RpcProxy(RPC_PROXY_PORT, URI.create("http://127.0.0.1:" + NODE_PORT));
        this.database = new TcpProxy(PG_PROXY_PORT, 5432);
        this.consumersDatabase = new TcpProxy(CONSUMERS_PG_PROXY_PORT, 5432);
    }

    static synchronized Platform get() {
        if (failed != null) {
            throw failed;
        }
        if (started == null) {
            try {
                Platform platform = new Platform();
                Runtime.getRuntime().addShutdownHook(new Thread(platform::stop));
                platform.start();
                started = platform;
            } catch (Exception e) {
                // Once: later test classes fail fast instead of starting a second platform on taken ports.
                failed = new IllegalStateException("the platform did not start: " + e.getMessage(), e);
                throw failed;
            }
        }
        return started;
    }

    private void start() throws Exception {
        long t0 = System.nanoTime();
        List<Integer> ours = new ArrayList<>(SERVICES.values());
        ours.addAll(List.of(KAFKA_PORT, KAFKA_PORT + 1, NODE_PORT, IPFS_PORT, GOOGLE_PORT, PROMETHEUS_PORT));
        List<Integer> taken = ours.stream().filter(Waits::portOpen).toList();
        if (!taken.isEmpty()) {
            // Otherwise a leftover process would answer the readiness checks in place of ours.
            throw new IllegalStateException("ports already in use: " + taken);
        }
        if (!Waits.portOpen(5432) || !Waits.portOpen(6379)) {
            throw new IllegalStateException("PostgreSQL (5432) and Redis (6379) must be running (.ci/run starts them)");
        }
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
            admin.createStatement().execute("drop database if exists " + DATABASE + " with (force)");
            admin.createStatement().execute("create database " + DATABASE);
        }
        mail.start();
        google.start();
        google.stubFor(post(urlPathEqualTo("/token"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"access_token\":\"ya29.systest\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        google.stubFor(post(urlPathEqualTo(FCM_PATH))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"name\":\"projects/" + FCM_PROJECT + "/messages/1\"}")));
        kafka.start();
        kafka.createTopics();
        Path solana = repo.resolve("deploy/solana-local");
        if (!Files.isDirectory(solana.resolve("node_modules/litesvm"))) {
            int npm = processes.run(
                    "npm-install",
                    // install, not ci: npm 11 refuses ci for litesvm's lock (see run-local); install keeps
                    // the locked versions.
                    List.of("npm", "install", "--prefix", solana.toString(), "--no-audit", "--no-fund"),
                    Map.of());
            if (npm != 0) {
                throw new IllegalStateException(
                        "npm install in deploy/solana-local failed: " + processes.logOf("npm-install"));
            }
        }
        chain = LocalChain.start(repo, work.resolve("solana"), processes, NODE_PORT, IPFS_PORT);
        for (String service : SERVICES.keySet()) {
            launch(service);
        }
        for (String service : SERVICES.keySet()) {
            awaitReady(service);
        }
        System.out.printf(
                "[system] platform up in %d s: gateway %s, logs in %s%n",
                Duration.ofNanos(System.nanoTime() - t0).toSeconds(), gateway(), work.resolve("logs"));
    }

    /**
     * Prometheus scraping every service each second, with the alert rules of deploy/k8s loaded; started on first
     * use, stopped with the platform.
     */
    synchronized LocalPrometheus prometheus() throws IOException, InterruptedException {
        if (prometheus == null) {
            prometheus = LocalPrometheus.start(repo, work, processes, PROMETHEUS_PORT, SERVICES, Duration.ofSeconds(1));
        }
        return prometheus;
    }

    String gateway() {
        return "http://127.0.0.1:" + SERVICES.get("api-gateway");
    }

    /** A service's base URL, for calls that bypass the gateway (benchmarks only: clients never do). */
    String direct(String service) {
        return "http://127.0.0.1:" + SERVICES.get(service);
    }

    List<ProcessHandle> processesOf(String service) {
        return processes.handles(service);
    }

    String nodeUrl() {
        return "http://127.0.0.1:" + NODE_PORT;
    }

    /** The local IPFS stand-in's gateway: {@code GET /ipfs/{cid}}. */
    String ipfsGateway() {
        return "http://127.0.0.1:" + IPFS_PORT;
    }

    String kafkaBootstrap() {
        return kafka.bootstrap();
    }

    LocalKafka kafka() {
        return kafka;
    }

    GreenMail mail() {
        return mail;
    }

    /** Google's token endpoint and FCM (push), as WireMock. */
    WireMockServer google() {
        return google;
    }

    RpcProxy rpc() {
        return rpc;
    }

    /** The relay between upgrade-service and PostgreSQL. */
    TcpProxy database() {
        return database;
    }

    /** The relay between the consuming services ({@link #CONSUMING_SERVICES}) and PostgreSQL. */
    TcpProxy consumersDatabase() {
        return consumersDatabase;
    }

    /** A direct connection to the platform's database (not through the fault relay): for checks only. */
    Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "postgres", "");
    }

    Path log(String service) {
        return processes.logOf(service);
    }

    /** kill -9: no shutdown hook, no graceful drain, whatever was in flight is cut. */
    void crash(String service) throws InterruptedException {
        processes.stop(service, true, Duration.ofSeconds(10));
    }

    void launch(String service) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Processes.javaExecutable());
        command.addAll(jvm(service));
        command.add("-jar");
        command.add(LocalService.ALL.stream()
                .filter(s -> s.name().equals(service))
                .findFirst()
                .orElseThrow()
                .jar(repo)
                .toString());
        processes.start(service, command, environment(service));
    }

    /**
     * {@value #JVM_PROPERTY}{@code =image}: the container image's JVM flags (the root pom's jib jvmFlags) with
     * the pod's memory limit of deploy/k8s as the machine's memory, for benchmarks. Otherwise the local run's
     * flags (C1 only, serial GC): quick to start, but not how the services run in production.
     */
    static final String JVM_PROPERTY = "system.jvm";

    /**
     * {@value #FAULTS_PROPERTY}{@code =false}: the services reach PostgreSQL and the Solana node directly, not
     * through the fault relays (which run in the test JVM and add a hop to every query and call), and
     * upgrade-service keeps its default lease, sweep and retry settings, for benchmarks of the platform as
     * deployed. Fault tests need the default, {@code true}.
     */
    static final String FAULTS_PROPERTY = "system.faults";

    private static boolean faultInjection() {
        return !"false".equals(System.getProperty(FAULTS_PROPERTY));
    }

    private static List<String> jvm(String service) {
        if (!"image".equals(System.getProperty(JVM_PROPERTY))) {
            return LocalRuntime.SERVICE_JVM;
        }
        String podMemory = switch (service) {
            case "api-gateway" -> "768m";
            case "sse-gateway" -> "1g";
            default -> "640m";
        };
        return List.of(
                "-XX:MaxRAM=" + podMemory,
                "-XX:MaxRAMPercentage=70",
                "-XX:InitialRAMPercentage=50",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseG1GC",
                "-Xss512k",
                "--enable-native-access=ALL-UNNAMED");
    }

    void awaitReady(String service) throws InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        String url = "http://127.0.0.1:" + SERVICES.get(service);
        while (!Waits.ready(url)) {
            if (!processes.alive(service)) {
                throw new IllegalStateException(service + " exited; see " + processes.logOf(service));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service + " not ready within " + READY + "; see " + log(service));
            }
            Thread.sleep(250);
        }
    }

    private Map<String, String> environment(String service) {
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_PORT", Integer.toString(SERVICES.get(service)));
        env.put("SPRING_KAFKA_BOOTSTRAPSERVERS", kafka.bootstrap());
        env.put("AIW3_MESSAGING_TOPICS_MAXPARTITIONS", "3");
        if (!faultInjection()) {
            env.put("AIW3_DB_PORT", "5432");
        } else if (CONSUMING_SERVICES.contains(service)) {
            env.put("AIW3_DB_PORT", Integer.toString(CONSUMERS_PG_PROXY_PORT));
            env.put(
                    "SPRING_DATASOURCE_HIKARI_CONNECTIONTIMEOUT",
                    Long.toString(CONSUMERS_CONNECTION_TIMEOUT.toMillis()));
        } else {
            env.put("AIW3_DB_PORT", Integer.toString(PG_PROXY_PORT));
        }
        env.put("AIW3_DB_NAME", DATABASE);
        env.putAll(LocalService.ALL.stream()
                .filter(s -> s.name().equals(service))
                .findFirst()
                .orElseThrow()
                .identityEnv(IDENTITY_KEYS));
        env.putAll(LocalService.ALL.stream()
                .filter(s -> s.name().equals(service))
                .findFirst()
                .orElseThrow()
                .devTokenEnv(work));
        switch (service) {
            case "api-gateway" -> {
                env.put("SPRING_PROFILES_ACTIVE", "local");
                SERVICES.forEach((name, port) -> env.put(
                        "AIW3_GATEWAY_DOWNSTREAM_" + name.replace("-", "").toUpperCase(), "http://127.0.0.1:" + port));
                // Every simulated user shares 127.0.0.1: the per-IP stream cap is a per-address limit.
                env.put("AIW3_GATEWAY_LIMITS_SSESTREAMSPERIP", "5000");
            }
            case "upgrade-service" -> {
                if (faultInjection()) {
                    env.putAll(LocalChain.upgradeServiceEnv(chain, rpc.url(), "http://127.0.0.1:" + IPFS_PORT));
                    // A crashed instance's leases expire quickly, so the restarted one resumes within the test.
                    env.put("AIW3_UPGRADE_LEASE", "5s");
                    // A crashed instance leaves its consumer group quickly, so the restarted one gets the partitions.
                    env.put("SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", "6000");
                    env.put("SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "2000");
                    env.put("AIW3_UPGRADE_SWEEPINTERVAL", "1s");
                    env.put("AIW3_UPGRADE_SOLANA_REQUESTTIMEOUT", "3s");
                    // Enough retries to outlast a 30 s RPC outage (1+2+4+8+8+8... s).
                    env.put("AIW3_UPGRADE_MINTRETRY_MAXATTEMPTS", "10");
                    env.put("AIW3_UPGRADE_MINTRETRY_MAXBACKOFF", "8s");
                    env.put("AIW3_UPGRADE_METADATARETRY_MAXATTEMPTS", "10");
                    env.put("AIW3_UPGRADE_METADATARETRY_MAXBACKOFF", "8s");
                } else {
                    env.putAll(LocalChain.upgradeServiceEnv(chain, nodeUrl(), "http://127.0.0.1:" + IPFS_PORT));
                }
            }
            case "notification-service" -> {
                env.put("SPRING_MAIL_HOST", "127.0.0.1");
                env.put("SPRING_MAIL_PORT", Integer.toString(SMTP_PORT));
                env.put("AIW3_NOTIFICATION_SUPPORT_EMAILS", "support@aiw3.test");
                env.put("AIW3_NOTIFICATION_PUSH_ENABLED", "true");
                env.put("AIW3_NOTIFICATION_PUSH_APIBASE", google.baseUrl());
                env.put("FCM_PROJECT_ID", FCM_PROJECT);
                env.put(
                        "FCM_CREDENTIALS_FILE",
                        FakeGoogleServiceAccount.write(google.baseUrl() + "/token", FCM_PROJECT));
            }
            default -> {}
        }
        return env;
    }

    private void stop() {
        processes.stopAll(Duration.ofSeconds(20));
        rpc.close();
        database.close();
        consumersDatabase.close();
        mail.stop();
        google.stop();
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
