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
final class LocalKafka {

    static final int PORT = 9092;
    static final int CONTROLLER_PORT = 9093;
    static final String BOOTSTRAP = "127.0.0.1:" + PORT;
    /** Local topics are smaller than production's; the registry's counts are for production. */
    static final int LOCAL_PARTITIONS = 3;

    private final Path dir;
    private final Processes processes;

    LocalKafka(Path dir, Processes processes) {
        this.dir = dir;
        this.processes = processes;
    }

    void start() throws IOException, InterruptedException {
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
                        "controller.quorum.voters=1@127.0.0.1:" + CONTROLLER_PORT,
                        "listeners=PLAINTEXT://127.0.0.1:" + PORT + ",CONTROLLER://127.0.0.1:" + CONTROLLER_PORT,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + PORT,
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
        List<String> jvm =
                List.of("-Xms256m", "-Xmx512m", "-Dlog4j2.configurationFile=classpath:local-kafka-log4j2.xml");
        int format = processes.run(
                "kafka-format",
                java(
                        jvm,
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
        processes.start("kafka", java(jvm, "kafka.Kafka", config.toString()), Map.of());
        Waits.untilPortOpen("kafka", PORT, 60);
    }

    /** Creates every topic of the registry with its dead-letter topic, by the services' own rule, once. */
    void createTopics() throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
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
