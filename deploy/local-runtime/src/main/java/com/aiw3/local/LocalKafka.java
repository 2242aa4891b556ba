package com.aiw3.local;

import com.aiw3.events.topic.TopicProvisioning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/** A standalone single-node KRaft broker in its own JVM, started from the Kafka jars on this classpath. */
public final class LocalKafka {

    static final int PORT = 9092;
    static final int CONTROLLER_PORT = 9093;
    static final String BOOTSTRAP = "127.0.0.1:" + PORT;
    /** Local topics are smaller than production's; the registry's counts are for production. */
    static final int LOCAL_PARTITIONS = 3;

    private static final List<String> JVM =
            List.of("-Xms256m", "-Xmx512m", "-Dlog4j2.configurationFile=classpath:local-kafka-log4j2.xml");

    private final Path dir;
    private final Processes processes;
    private final int port;
    private final int controllerPort;

    LocalKafka(Path dir, Processes processes) {
        this(dir, processes, PORT, CONTROLLER_PORT);
    }

    public LocalKafka(Path dir, Processes processes, int port, int controllerPort) {
        this.dir = dir;
        this.processes = processes;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Formats a fresh log and starts the broker. */
    public void start() throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        deleteRecursively(data);
        Files.createDirectories(data);
        Path config = dir.resolve("server.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                        "controller.listener.names=CONTROLLER",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "inter.broker.listener.name=PLAINTEXT",
                        "log.dirs=" + data,
                        "num.partitions=" + LOCAL_PARTITIONS,
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "auto.create.topics.enable=false",
                        ""));
        int format = processes.run(
                "kafka-format",
                java(
                        JVM,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        config.toString()),
                Map.of());
        if (format != 0) {
            throw new IllegalStateException("formatting the KRaft log failed; see " + processes.logOf("kafka-format"));
        }
        launch();
    }

    /** Starts the broker again on the log it has (after {@link #stop}): a broker restart. */
    public void launch() throws IOException, InterruptedException {
        processes.start(
                "kafka",
                java(JVM, "kafka.Kafka", dir.resolve("server.properties").toString()),
                Map.of());
        Waits.untilPortOpen("kafka", port, 60);
    }

    /** Stops the broker: SIGKILL when {@code crash}, else a controlled shutdown. */
    public void stop(boolean crash) throws InterruptedException {
        processes.stop("kafka", crash, java.time.Duration.ofSeconds(30));
    }

    /** Creates every topic of the registry with its dead-letter topic, by the services' own rule, once. */
    public void createTopics() throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = TopicProvisioning.of(LOCAL_PARTITIONS, (short) 1).stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(spec -> new NewTopic(spec.name(), spec.partitions(), spec.replicas()).configs(spec.configs()))
                    .toList();
            admin.createTopics(missing).all().get();
        }
    }

    private static List<String> java(List<String> jvmArgs, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Processes.javaExecutable());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
