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
import com.aiw3.local.TraceReceiver;
import com.aiw3.local.Waits;
import com.aiw3.testing.FakeGoogleServiceAccount;
import com.aiw3.testing.ServerProcesses;
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
 * <p>Every service exports its spans to an OTLP receiver in the test JVM ({@link #traces()}).
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

    /**
     * sse-gateway runs as two instances behind api-gateway, which balances streams over the ready ones as a
     * Kubernetes Service balances its pods: the first is {@code sse-gateway} in {@link #SERVICES}, this the second.
     */
    static final String SECOND_SSE_GATEWAY = "sse-gateway-2";

    /** Every sse-gateway instance by its process name, which is also its {@code aiw3.sse.instance-id}. */
    static final List<String> SSE_GATEWAYS = List.of("sse-gateway", SECOND_SSE_GATEWAY);

    private static final int SECOND_SSE_GATEWAY_PORT = 18086;
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
    /** The in-test OTLP/HTTP trace receiver: the local collector's port plus {@link #PORT_OFFSET}. */
    private static final int TRACES_PORT = 14318;
    /**
     * How long a service's span exporter waits to fill a batch (its default is 5 s): short, so a test sees a
     * trace's spans soon after its last hop.
     */
    static final Duration TRACE_EXPORT_DELAY = Duration.ofMillis(200);

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
    private TraceReceiver traces;

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
        ours.addAll(List.of(
                SECOND_SSE_GATEWAY_PORT,
                KAFKA_PORT,
                KAFKA_PORT + 1,
                NODE_PORT,
                IPFS_PORT,
                GOOGLE_PORT,
                PROMETHEUS_PORT,
                TRACES_PORT));
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
        traces = TraceReceiver.start(TRACES_PORT);
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
        launch(SECOND_SSE_GATEWAY);
        for (String service : SERVICES.keySet()) {
            awaitReady(service);
        }
        awaitReady(SECOND_SSE_GATEWAY);
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

    /** The spans every service exported so far (each exports to it, in batches every {@link #TRACE_EXPORT_DELAY}). */
    TraceReceiver traces() {
        return traces;
    }

    String gateway() {
        return "http://127.0.0.1:" + SERVICES.get("api-gateway");
    }

    /** A service's base URL, for calls that bypass the gateway (benchmarks only: clients never do). */
    String direct(String service) {
        return "http://127.0.0.1:" + portOf(service);
    }

    /** The port a process of the platform (a service, or the second sse-gateway instance) listens on. */
    static int portOf(String process) {
        return process.equals(SECOND_SSE_GATEWAY) ? SECOND_SSE_GATEWAY_PORT : SERVICES.get(process);
    }

    /** The service a process of the platform runs. */
    private static LocalService serviceOf(String process) {
        String name = process.equals(SECOND_SSE_GATEWAY) ? "sse-gateway" : process;
        return LocalService.ALL.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
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
        launch(service, serviceOf(service).jar(repo));
    }

    /** Starts a service from another build's jar (a benchmark's A/B of two builds of one service). */
    void launch(String service, Path jar) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Processes.javaExecutable());
        command.addAll(jvm(service));
        command.add("-jar");
        command.add(jar.toString());
        processes.start(service, command, environment(service));
    }

    /** A graceful stop (SIGTERM, the service drains), as a rolling deploy does. */
    void stop(String service) throws InterruptedException {
        processes.stop(service, false, Duration.ofSeconds(30));
    }

    /** The jar this build runs for a service. */
    Path jarOf(String service) {
        return LocalService.ALL.stream()
                .filter(s -> s.name().equals(service))
                .findFirst()
                .orElseThrow()
                .jar(repo);
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
        String podMemory = switch (serviceOf(service).name()) {
            case "api-gateway" -> "768m";
            case "sse-gateway" -> "1g";
            default -> "640m";
        };
        return ServerProcesses.imageJvm(podMemory);
    }

    void awaitReady(String service) throws InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        String url = "http://127.0.0.1:" + portOf(service);
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
        env.put("SERVER_PORT", Integer.toString(portOf(service)));
        env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", traces.endpoint());
        env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULEDELAY", TRACE_EXPORT_DELAY.toMillis() + "ms");
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
        env.putAll(LocalPrometheus.SCRAPED_SERVICE_ENV);
        env.putAll(serviceOf(service).identityEnv(IDENTITY_KEYS));
        env.putAll(serviceOf(service).devTokenEnv(work));
        switch (service) {
            case "api-gateway" -> {
                env.put("SPRING_PROFILES_ACTIVE", "local");
                SERVICES.forEach((name, port) -> env.put(
                        "AIW3_GATEWAY_DOWNSTREAM_" + name.replace("-", "").toUpperCase(), "http://127.0.0.1:" + port));
                // Both sse-gateway instances, balanced over those whose readiness probe answers (a map key with a
                // dash cannot be written as an environment variable, hence the JSON).
                env.put("AIW3_GATEWAY_DOWNSTREAM_SSEGATEWAY", "lb://sse-gateway");
                env.put(
                        "SPRING_APPLICATION_JSON",
                        SSE_GATEWAYS.stream()
                                .map(instance -> "{\"uri\":\"http://127.0.0.1:" + portOf(instance) + "\"}")
                                .collect(java.util.stream.Collectors.joining(
                                        ",",
                                        "{\"spring.cloud.discovery.client.simple.instances.sse-gateway\":[",
                                        "]}")));
                env.put("SPRING_CLOUD_LOADBALANCER_HEALTHCHECK_INTERVAL", "1s");
                // Every simulated user shares 127.0.0.1: the per-IP stream cap is a per-address limit.
                env.put("AIW3_GATEWAY_LIMITS_SSESTREAMSPERIP", "5000");
                // The demo page at /demo/, as in the local run: the inbox's browser test drives it.
                env.putAll(LocalRuntime.demoPageEnv(repo));
            }
            case "upgrade-service" -> {
                // An upgrade a test leaves awaiting its burn must not fail by deadline while a later test runs:
                // the bad-input sweep asserts that no row changes while it sends its requests.
                env.put("AIW3_UPGRADE_BURNTIMEOUT", "60m");
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
            case "sse-gateway", SECOND_SSE_GATEWAY -> env.put("AIW3_SSE_INSTANCEID", service);
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
        if (traces != null) {
            traces.close();
        }
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
