package com.aiw3.system;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the platform's work was made of over a stretch of time, to set against one upgrade's floor: the
 * transactions PostgreSQL committed and the rows it wrote in the platform's database ({@code pg_stat_database}),
 * the records each Kafka topic received (log-end offsets) and the records the consumer groups consumed
 * (their committed offsets), and the Solana RPC calls upgrade-service made (its {@code http.client.requests}
 * timer of the node). PostgreSQL's statistics reach {@code pg_stat_database} from each backend within about ten
 * seconds, so a snapshot is taken after that much quiet ({@link #SETTLE}); the background of the quiet itself
 * (sweeps, heartbeats) is measured apart and taken off.
 */
final class PlatformCounts {

    /** How long PostgreSQL may keep a backend's statistics before they show in {@code pg_stat_database}. */
    static final Duration SETTLE = Duration.ofSeconds(11);

    /** One snapshot: cumulative counters by name. */
    record Snapshot(Map<String, Long> counters, long nanos) {}

    private PlatformCounts() {}

    static Snapshot take(Platform platform) throws Exception {
        Map<String, Long> counters = new LinkedHashMap<>();
        try (Connection db = platform.jdbc();
                Statement s = db.createStatement();
                ResultSet r = s.executeQuery("select xact_commit, tup_inserted, tup_updated, tup_deleted"
                        + " from pg_stat_database where datname = current_database()")) {
            r.next();
            counters.put("db: transactions committed", r.getLong(1));
            counters.put("db: rows inserted", r.getLong(2));
            counters.put("db: rows updated", r.getLong(3));
            counters.put("db: rows deleted", r.getLong(4));
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrap());
        try (Admin admin = Admin.create(props)) {
            List<String> topics = admin.listTopics().names().get().stream()
                    .filter(t -> !t.startsWith("__"))
                    .sorted()
                    .toList();
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            admin.describeTopics(topics)
                    .allTopicNames()
                    .get()
                    .forEach((topic, description) -> description
                            .partitions()
                            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<String, Long> produced = new TreeMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((tp, info) ->
                            produced.merge("kafka: records produced to " + tp.topic(), info.offset(), Long::sum));
            counters.putAll(produced);
            long consumed = 0;
            for (ConsumerGroupListing group : admin.listConsumerGroups().all().get()) {
                consumed += committed(admin, group.groupId());
            }
            counters.put("kafka: records consumed by the consumer groups (committed offsets)", consumed);
        }
        counters.put("upgrade-service: Solana RPC calls", rpcCalls(platform));
        return new Snapshot(counters, System.nanoTime());
    }

    private static long committed(Admin admin, String group) throws InterruptedException, ExecutionException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                .filter(java.util.Objects::nonNull)
                .mapToLong(OffsetAndMetadata::offset)
                .sum();
    }

    /** The count of upgrade-service's timer of calls to the Solana node ({@code uri="none"}: the RPC's). */
    private static long rpcCalls(Platform platform) {
        return Math.round(LatencyHistograms.fetch(platform, "upgrade-service")
                .lines()
                .filter(line -> line.startsWith("http_client_requests_seconds_count{") && line.contains("uri=\"none\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum());
    }

    /**
     * A Markdown table of each counter per completed upgrade over {@code from} to {@code to}, less the
     * background measured from {@code to} to {@code quiet} (scaled to the same length of time).
     */
    static String perUpgrade(Snapshot from, Snapshot to, Snapshot quiet, long completed) {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "| counter | per completed upgrade | over the round | background per s (no upgrades) |%n"
                        + "|---|---|---|---|%n"));
        double roundSeconds = (to.nanos() - from.nanos()) / 1e9;
        double quietSeconds = (quiet.nanos() - to.nanos()) / 1e9;
        to.counters().forEach((name, value) -> {
            long delta = value - from.counters().getOrDefault(name, 0L);
            long background = quiet.counters().getOrDefault(name, value) - value;
            double backgroundPerSecond = background / quietSeconds;
            double work = delta - backgroundPerSecond * roundSeconds;
            if (delta == 0 && background == 0) {
                return;
            }
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %d | %.1f |%n",
                    name,
                    Math.max(0, work) / Math.max(1, completed),
                    delta,
                    backgroundPerSecond));
        });
        return out.toString();
    }
}
