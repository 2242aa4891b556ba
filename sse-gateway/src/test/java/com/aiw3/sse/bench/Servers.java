package com.aiw3.sse.bench;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.serde.EventSerializer;
import com.aiw3.events.topic.Topics;
import com.aiw3.testing.ServerProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The servers under test: the gateway (fed from Kafka, as in production) and the two baselines (fed by
 * an HTTP publish). Each is a set of operating-system processes whose CPU time and memory are read from
 * {@code /proc}, so the load client and the broker are never counted.
 */
final class Servers {

    private Servers() {}

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A running server: where clients connect, how an event is published, and its processes. */
    interface Server extends AutoCloseable {
        String name();

        /** The ports clients connect to; connections are spread over them evenly. */
        List<Integer> ports();

        String path();

        void publish(long seq, long publishedAtMicros);

        /** Returns once the server has accepted every event published so far. */
        void flush();

        List<ProcessHandle> processes();

        /**
         * Before memory is read: a JVM's heap holds start-up and connection garbage until a collection, which
         * is not memory an idle connection needs, so JVM servers run a full GC first. Returns the heap
         * then in use (live objects), in bytes, or -1 for a server without one.
         */
        default long collectGarbage() {
            return -1;
        }

        @Override
        void close();
    }

    /** The client event shape {@code {type, message, data, timestamp}} with the marker in {@code message}: what the gateway sends for a broadcast. */
    static String clientJson(long seq, long micros, UUID id) {
        String message = "bench|" + seq + "|" + micros;
        return "{\"type\":\"feature_announcement\",\"message\":\"" + message + "\",\"data\":{\"broadcastId\":\"" + id
                + "\",\"message\":\"" + message + "\",\"items\":[]},\"timestamp\":\"" + Instant.now() + "\"}";
    }

    /**
     * A baseline's HTTP publish, one request after another so order is kept (as Kafka keeps it for the
     * gateway), on its own thread so the benchmark's pacing is never held up by a busy server: an event's
     * time is taken when it is due, and waiting for the server to accept it counts toward its latency.
     */
    static final class OrderedPublisher implements AutoCloseable {
        private final java.util.concurrent.ExecutorService thread =
                java.util.concurrent.Executors.newSingleThreadExecutor();
        private final String url;

        OrderedPublisher(String url) {
            this.url = url;
        }

        void publish(String body) {
            thread.execute(() -> post(url, body));
        }

        void flush() {
            try {
                thread.submit(() -> {}).get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            thread.shutdownNow();
        }
    }

    private static void post(String url, String body) {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("publish answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** sse-gateway instances, each its own JVM as deployed, all reading the broadcast topic. */
    static final class Gateway implements Server {
        private final List<Process> instances = new ArrayList<>();
        private final List<Integer> ports = new ArrayList<>();
        private final List<Map<String, String>> environment = new ArrayList<>();
        private final Path jar;
        private final List<String> jvmFlags;
        private final Path logs;
        private final KafkaProducer<String, EventEnvelope<?>> producer;
        private final String name;

        Gateway(Path jar, int instances, int firstPort, String bootstrap, List<String> jvmFlags, Path logs) {
            this("sse-gateway", jar, instances, firstPort, bootstrap, jvmFlags, Map.of(), logs);
        }

        /**
         * {@code name} labels the build or configuration in the results; {@code environment} is added to (and
         * overrides) the benchmark's own settings of each instance.
         */
        Gateway(
                String name,
                Path jar,
                int instances,
                int firstPort,
                String bootstrap,
                List<String> jvmFlags,
                Map<String, String> environment,
                Path logs) {
            this.name = name;
            this.jar = jar;
            this.jvmFlags = jvmFlags;
            this.logs = logs;
            for (int i = 0; i < instances; i++) {
                int port = firstPort + i;
                this.environment.add(with(
                        environment,
                        "SERVER_PORT",
                        String.valueOf(port),
                        "SPRING_KAFKA_BOOTSTRAPSERVERS",
                        bootstrap,
                        "AIW3_SSE_INSTANCEID",
                        "bench-" + i,
                        "AIW3_SSE_MAXSTREAMS",
                        "100000",
                        // nchan keeps 20,000 messages per channel here; each gateway stream gets the same
                        // allowance before it is cut as a client that fell behind (which would resume).
                        "AIW3_SSE_BUFFERPERSTREAM",
                        "20000",
                        "LOGGING_LEVEL_ROOT",
                        "WARN",
                        // The load clients send identities signed with the test JVM's key.
                        "AIW3_IDENTITY_VERIFICATIONKEYS",
                        com.aiw3.testing.TestIdentities.KEYS.verificationKeys()));
                this.instances.add(startInstance(i));
                ports.add(port);
            }
            producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            ProducerConfig.LINGER_MS_CONFIG,
                            0,
                            ProducerConfig.ACKS_CONFIG,
                            "all"),
                    new StringSerializer(),
                    new EventSerializer());
            for (int port : ports) {
                ServerProcesses.awaitAnswer(
                        "http://127.0.0.1:" + port + "/actuator/health/readiness", Duration.ofMinutes(2));
            }
        }

        @Override
        public String name() {
            return name;
        }

        private Process startInstance(int i) {
            List<String> command = new ArrayList<>(List.of(ServerProcesses.jdkTool("java")));
            command.addAll(jvmFlags);
            command.addAll(List.of("-jar", jar.toString()));
            return ServerProcesses.start(command, logs.resolve("sse-gateway-" + i + ".log"), environment.get(i));
        }

        /**
         * Stops instance {@code i} as Kubernetes stops a pod: SIGTERM, then up to {@code grace} for it to end
         * (its drain and graceful shutdown), then SIGKILL. Returns whether it ended within the grace period.
         */
        boolean stop(int i, Duration grace) {
            Process instance = instances.get(i);
            instance.destroy();
            try {
                if (instance.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return true;
                }
                instance.destroyForcibly().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        /** Starts instance {@code i} again, with the same settings, and returns once it reports ready. */
        void restart(int i) {
            instances.set(i, startInstance(i));
            ServerProcesses.awaitAnswer(
                    "http://127.0.0.1:" + ports.get(i) + "/actuator/health/readiness", Duration.ofMinutes(2));
        }

        /** One user's event (a price alert) whose message is {@code message}, keyed by the user as in production. */
        void publishToUser(String user, String message) {
            EventEnvelope<?> event = EventEnvelope.of(
                    new UserEvent.PriceAlertTriggered(user, message, "SOL", new java.math.BigDecimal("180.00")),
                    "trading");
            producer.send(new ProducerRecord<>(event.topic().name(), event.key(), event));
        }

        private static Map<String, String> with(Map<String, String> extra, String... pairs) {
            Map<String, String> environment = new java.util.LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                environment.put(pairs[i], pairs[i + 1]);
            }
            environment.putAll(extra);
            return environment;
        }

        @Override
        public List<Integer> ports() {
            return ports;
        }

        @Override
        public String path() {
            return "/api/events/stream";
        }

        @Override
        public void publish(long seq, long micros) {
            EventEnvelope<?> event = EventEnvelope.of(
                    new BroadcastEvent.FeatureAnnounced(EventIds.next(), "bench|" + seq + "|" + micros, List.of()),
                    "bench");
            producer.send(new ProducerRecord<>(Topics.REALTIME_BROADCASTS.name(), event.key(), event));
        }

        @Override
        public List<ProcessHandle> processes() {
            return instances.stream()
                    .flatMap(p -> ServerProcesses.withDescendants(p).stream())
                    .toList();
        }

        @Override
        public void flush() {
            producer.flush();
        }

        @Override
        public long collectGarbage() {
            long live = 0;
            for (Process instance : instances) {
                jcmd(instance, "GC.run");
                String info = jcmd(instance, "GC.heap_info");
                java.util.regex.Matcher used =
                        java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
                live += used.find() ? Long.parseLong(used.group(1)) * 1024 : 0;
            }
            // G1 gives freed regions back to the system concurrently, just after the collection.
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000_000L);
            return live;
        }

        private static String jcmd(Process instance, String command) {
            try {
                Process jcmd = new ProcessBuilder(
                                ServerProcesses.jdkTool("jcmd"), String.valueOf(instance.pid()), command)
                        .redirectErrorStream(true)
                        .start();
                String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                jcmd.waitFor();
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }

        @Override
        public void close() {
            producer.close();
            instances.forEach(ServerProcesses::stop);
        }
    }

    /** A baseline: one process (and its children), one port, published to over HTTP in order. */
    private record Baseline(String name, Process process, int port, String path, OrderedPublisher publisher)
            implements Server {

        @Override
        public List<Integer> ports() {
            return List.of(port);
        }

        @Override
        public void publish(long seq, long micros) {
            publisher.publish(clientJson(seq, micros, EventIds.next()));
        }

        @Override
        public void flush() {
            publisher.flush();
        }

        @Override
        public List<ProcessHandle> processes() {
            return ServerProcesses.withDescendants(process);
        }

        @Override
        public void close() {
            publisher.close();
            ServerProcesses.stop(process);
        }
    }

    /** nginx with nchan: one broadcast channel, a publish location, an EventSource location. */
    static Server nchan(int port, int workers, Path scratch) {
        try {
            Files.createDirectories(scratch);
            String config = new String(
                            Servers.class
                                    .getResourceAsStream("/bench/nchan.conf")
                                    .readAllBytes(),
                            StandardCharsets.UTF_8)
                    .replace("@PREFIX@", scratch.toString())
                    .replace("@PORT@", String.valueOf(port))
                    .replace("@WORKERS@", String.valueOf(workers));
            Files.writeString(scratch.resolve("nginx.conf"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process nginx = ServerProcesses.start(
                List.of("nginx", "-c", scratch.resolve("nginx.conf").toString(), "-p", scratch.toString()),
                scratch.resolve("nginx.out"),
                Map.of());
        String publish = "http://127.0.0.1:" + port + "/pub";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!answersPost(publish)) {
            if (System.nanoTime() > deadline || !nginx.isAlive()) {
                throw new IllegalStateException("nginx did not start; see " + scratch);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
        return new Baseline("nginx+nchan", nginx, port, "/sub", new OrderedPublisher(publish));
    }

    private static boolean answersPost(String url) {
        try {
            post(url, "{\"type\":\"warm\",\"message\":\"start\"}");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A plain Node.js SSE server: a Map of responses, a write per event per connection. */
    static Server node(int port, Path scratch) {
        Process node;
        try {
            Files.createDirectories(scratch);
            Path script = scratch.resolve("node-baseline.js");
            try (var in = Servers.class.getResourceAsStream("/bench/node-baseline.js")) {
                Files.write(script, in.readAllBytes());
            }
            node = ServerProcesses.start(
                    List.of("node", script.toString(), String.valueOf(port)), scratch.resolve("node.log"), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerProcesses.awaitAnswer("http://127.0.0.1:" + port + "/health", Duration.ofSeconds(20));
        return new Baseline(
                "node (plain http)",
                node,
                port,
                "/events",
                new OrderedPublisher("http://127.0.0.1:" + port + "/publish"));
    }
}
