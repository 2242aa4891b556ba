package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.serde.EventDeserializer;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.local.Announcement;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL out of reach for the services that only consume events (notification-service,
 * analytics-service, audit-service) while users keep upgrading through api-gateway and announcements keep
 * coming: the consumers block and retry (their connection timeout is {@link Platform#CONSUMERS_CONNECTION_TIMEOUT},
 * so every attempt fails within seconds and the outage lasts many times what a bounded retry policy
 * would wait), nothing reaches a dead-letter topic, and after the database is back every event of the
 * outage is audited once (the chain verifies), projected by analytics once and handled by notification-service
 * once. Prints the catch-up time of each service.
 *
 * <p>The outage lasts {@value #DEFAULT_OUTAGE_SECONDS} s; {@code -Dsystem.outage.seconds=300} is the large size.
 */
class DatabaseOutageIntegrationTest {

    static final String OUTAGE_PROPERTY = "system.outage.seconds";
    static final int DEFAULT_OUTAGE_SECONDS = 30;
    /** An upgrade starts this often during the outage, an announcement twice as often. */
    private static final Duration UPGRADE_EVERY = Duration.ofSeconds(6);

    private static final String ANALYTICS_CONSUMER = "analytics-projector";

    private final Platform platform = Platform.get();

    @Test
    void consumersBlockThroughADatabaseOutageDeadLetterNothingAndCatchUpWithEveryEventOnce() throws Exception {
        Duration outage = Duration.ofSeconds(Integer.getInteger(OUTAGE_PROPERTY, DEFAULT_OUTAGE_SECONDS));
        Map<String, Long> deadLettersBefore = deadLetterEnds();
        List<UpgradeRun> upgrades = new CopyOnWriteArrayList<>();
        List<UUID> announcements = new CopyOnWriteArrayList<>();
        List<Throwable> driverFailures = new CopyOnWriteArrayList<>();
        String run = Journeys.uniqueUser("outage");

        long cutAt = System.nanoTime();
        platform.consumersDatabase().cut();
        try {
            ScheduledExecutorService drivers = Executors.newScheduledThreadPool(2);
            drivers.scheduleWithFixedDelay(
                    () -> guarded(driverFailures, () -> {
                        User user = Journeys.holder(platform, "outage");
                        upgrades.add(new UpgradeRun(user, Journeys.upgradeThroughBurn(user)));
                    }),
                    0,
                    UPGRADE_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
            drivers.scheduleAtFixedRate(
                    () -> guarded(
                            driverFailures,
                            () -> announcements.add(
                                    Announcement.publish(platform.kafkaBootstrap(), run + " " + announcements.size())
                                            .eventId())),
                    0,
                    UPGRADE_EVERY.toMillis() / 2,
                    TimeUnit.MILLISECONDS);
            Thread.sleep(outage.toMillis());
            drivers.shutdown();
            assertThat(drivers.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
            assertThat(driverFailures).as("failures driving the platform").isEmpty();
            // upgrade-service does not depend on the consumers: every upgrade completes during the outage.
            for (UpgradeRun upgrade : upgrades) {
                assertThat(Journeys.awaitTerminal(upgrade.user(), upgrade.id(), Duration.ofSeconds(90)))
                        .isEqualTo("completed");
            }
        } finally {
            platform.consumersDatabase().restore();
        }
        long restoredAt = System.nanoTime();
        Duration outageLasted = Duration.ofNanos(restoredAt - cutAt);

        Map<String, Long> deadLettered = deadLetteredSince(deadLettersBefore);
        assertThat(deadLettered)
                .as("records dead-lettered during a %d s database outage", outageLasted.toSeconds())
                .isEmpty();

        Set<String> upgradeIds = new HashSet<>();
        upgrades.forEach(u -> upgradeIds.add(u.id()));
        List<EventEnvelope<EventPayload>> upgradeEvents = upgradeEventsOf(upgradeIds);
        List<UUID> upgradeEventIds =
                upgradeEvents.stream().map(EventEnvelope::eventId).toList();
        List<UUID> notificationIds = upgradeEvents.stream()
                .filter(e -> e.payload() instanceof UpgradeEvent.UpgradeCompleted)
                .map(e -> notificationIdOf(e.eventId()))
                .toList();
        assertThat(notificationIds).as("one completion per upgrade").hasSize(upgrades.size());
        List<UUID> audited = new ArrayList<>(upgradeEventIds);
        audited.addAll(announcements);

        Map<String, Duration> caughtUp = new ConcurrentHashMap<>();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    try (Connection db = platform.jdbc()) {
                        record(caughtUp, "audit-service", restoredAt, count(db, """
                        select count(*) from audit.audit_record where event_id = any(?)""", audited) == audited.size());
                        record(
                                caughtUp,
                                "analytics-service",
                                restoredAt,
                                count(db, """
                        select count(*) from analytics.messaging_processed_event
                        where consumer = '%s' and event_id = any(?)""".formatted(ANALYTICS_CONSUMER), upgradeEventIds)
                                        == upgradeEventIds.size());
                        record(
                                caughtUp,
                                "notification-service",
                                restoredAt,
                                count(db, """
                        select count(*) from notification.notifications where id = any(?)""", notificationIds) == notificationIds.size());
                    }
                    assertThat(caughtUp.keySet())
                            .as("services caught up after the outage")
                            .containsExactlyInAnyOrderElementsOf(Platform.CONSUMING_SERVICES);
                });

        User operator = User.operator(platform);
        for (UpgradeRun upgrade : upgrades) {
            List<JsonNode> records = Journeys.auditRecords(operator, upgrade.id());
            assertThat(records)
                    .filteredOn(r -> r.path("type").asString().equals("UpgradeCompleted"))
                    .hasSize(1);
            assertThat(records).extracting(r -> r.path("eventId").asString()).doesNotHaveDuplicates();
        }
        JsonNode chain = operator.get("/api/v1/audit/verify").json();
        assertThat(chain.path("intact").asBoolean()).as(chain.toString()).isTrue();
        assertThat(deadLetteredSince(deadLettersBefore))
                .as("records dead-lettered after the outage")
                .isEmpty();

        Map<String, String> seconds = new TreeMap<>();
        caughtUp.forEach((service, after) -> seconds.put(service, "%.1f s".formatted(after.toMillis() / 1000.0)));
        System.out.printf(
                "[system] database out of reach for the consumers for %d s: %d upgrades (%d events) and %d"
                        + " announcements during it, %d dead-lettered; caught up after restore: %s%n",
                outageLasted.toSeconds(),
                upgrades.size(),
                upgradeEventIds.size(),
                announcements.size(),
                deadLettered.values().stream().mapToLong(Long::longValue).sum(),
                seconds);
    }

    private record UpgradeRun(User user, String id) {}

    private interface Step {
        void run() throws Exception;
    }

    private static void guarded(List<Throwable> failures, Step step) {
        try {
            step.run();
        } catch (Throwable e) {
            failures.add(e);
        }
    }

    private static void record(Map<String, Duration> caughtUp, String service, long restoredAt, boolean done) {
        if (done) {
            caughtUp.putIfAbsent(service, Duration.ofNanos(System.nanoTime() - restoredAt));
        }
    }

    private static long count(Connection db, String sql, Collection<UUID> ids) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setArray(1, db.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The id notification-service gives the user's notification of an upgrade event. */
    private static UUID notificationIdOf(UUID eventId) {
        return UUID.nameUUIDFromBytes(("user:" + eventId).getBytes(StandardCharsets.UTF_8));
    }

    /** Every event of these upgrades on {@code nft-upgrade-events}, in partition order. */
    private List<EventEnvelope<EventPayload>> upgradeEventsOf(Set<String> upgradeIds) {
        List<EventEnvelope<EventPayload>> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                EventDeserializer deserializer = new EventDeserializer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.Names.NFT_UPGRADE_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nft-upgrade-events not read to its end within 30 s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    EventEnvelope<EventPayload> event = deserializer.deserialize(record.topic(), record.value());
                    if (event != null
                            && event.payload() instanceof UpgradeEvent upgrade
                            && upgradeIds.contains(upgrade.upgradeId().toString())) {
                        events.add(event);
                    }
                }
            }
        }
        return events;
    }

    /** The end offset of every partition of every dead-letter topic. */
    private Map<String, Long> deadLetterEnds() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrap());
        List<String> deadLetterTopics;
        try (Admin admin = Admin.create(props)) {
            deadLetterTopics = admin.listTopics().names().get().stream()
                    .filter(t -> t.endsWith("-dlt"))
                    .sorted()
                    .toList();
        }
        assertThat(deadLetterTopics).as("dead-letter topics").isNotEmpty();
        Map<String, Long> ends = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : deadLetterTopics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.endOffsets(partitions).forEach((p, end) -> ends.merge(p.topic(), end, Long::sum));
        }
        return ends;
    }

    /** Records added to each dead-letter topic since {@code before}; only topics that grew. */
    private Map<String, Long> deadLetteredSince(Map<String, Long> before) throws Exception {
        Map<String, Long> grown = new TreeMap<>();
        deadLetterEnds().forEach((topic, end) -> {
            long added = end - before.getOrDefault(topic, 0L);
            if (added != 0) {
                grown.put(topic, added);
            }
        });
        return grown;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
