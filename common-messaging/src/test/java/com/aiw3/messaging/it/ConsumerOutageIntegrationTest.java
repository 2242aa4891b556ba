package com.aiw3.messaging.it;

import static com.aiw3.messaging.it.OutageModule.BATCH_GROUP;
import static com.aiw3.messaging.it.OutageModule.RAW_BATCH_GROUP;
import static com.aiw3.messaging.it.OutageModule.RECORD_GROUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.serde.EventHeaders;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.messaging.deadletter.DeadLetterReplay;
import com.aiw3.testing.TcpProxy;
import com.aiw3.testing.TestPostgres;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A consumer's database out of reach for much longer than a few retries last, while events keep coming:
 * the record, batch and raw-batch consumers hold their partitions and retry until the database is back,
 * then apply every event exactly once; nothing is dead-lettered. And a record that was dead-lettered for a
 * reason since fixed is applied exactly once after {@link DeadLetterReplay}.
 *
 * <p>The module's database sits behind a {@link TcpProxy} that the test cuts. Connections time out after
 * one second, so each attempt fails fast; the retry settings a bounded policy would give up after (three
 * attempts) are set too, so the outage lasts several times that budget.
 *
 * <p>The blocked gauges are checked first, before any consumer has failed: they exist from the start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsumerOutageIntegrationTest {

    private static final List<String> GROUPS = List.of(RECORD_GROUP, BATCH_GROUP, RAW_BATCH_GROUP);
    private static final String DLT = Topics.NFT_UPGRADE_EVENTS.deadLetterName();

    private static EmbeddedKafkaKraftBroker kafka;
    private static TcpProxy database;
    private static ConfigurableApplicationContext module;
    private static JdbcClient direct;

    @BeforeAll
    static void start() {
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        TestPostgres.Database db = TestPostgres.freshSchema("outage");
        database = TcpProxy.to(db.port());
        TestPostgres.Database proxied = db.onLocalPort(database.port());
        module = new SpringApplicationBuilder(OutageModule.class)
                .properties(Map.ofEntries(
                        Map.entry("spring.main.web-application-type", "none"),
                        Map.entry("spring.kafka.bootstrap-servers", kafka.getBrokersAsString()),
                        Map.entry("spring.datasource.url", proxied.jdbcUrl()),
                        Map.entry("spring.datasource.username", db.username()),
                        Map.entry("spring.datasource.password", db.password()),
                        Map.entry("spring.datasource.hikari.connection-timeout", "1000"),
                        Map.entry("spring.flyway.schemas", db.schema()),
                        Map.entry("spring.flyway.locations", "classpath:db/it-outage"),
                        Map.entry("aiw3.messaging.source", "outage-module"),
                        Map.entry("aiw3.messaging.topics.max-partitions", "2"),
                        Map.entry("aiw3.messaging.consumer.initial-backoff", "50ms"),
                        Map.entry("aiw3.messaging.consumer.max-backoff", "500ms"),
                        // What a bounded policy would stop after; the outage below lasts several times as long.
                        Map.entry("aiw3.messaging.consumer.max-retries", "2")))
                .run();
        direct = JdbcClient.create(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
    }

    @AfterAll
    static void stop() {
        if (module != null) {
            module.close();
        }
        if (database != null) {
            database.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    @Order(1)
    void everyConsumerGroupReportsItsBlockedGaugesAtZeroOnceItsConsumerStarted() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> GROUPS.stream()
                        .allMatch(g -> gauge("aiw3.consumer.blocked.seconds", g) != null
                                && gauge("aiw3.consumer.blocked.failures", g) != null));
        assertThat(GROUPS).allSatisfy(group -> {
            assertThat(OutageModule.failures(group))
                    .as("failed attempts of %s so far", group)
                    .isZero();
            assertThat(gauge("aiw3.consumer.blocked.seconds", group).value())
                    .as("aiw3_consumer_blocked_seconds of %s", group)
                    .isZero();
            assertThat(gauge("aiw3.consumer.blocked.failures", group).value())
                    .as("aiw3_consumer_blocked_failures of %s", group)
                    .isZero();
        });
    }

    @Test
    @Order(2)
    void aDatabaseOutageLongerThanAnyRetryBudgetBlocksTheConsumersAndLosesNothing() throws Exception {
        long deadLettersBefore = deadLetters();
        List<EventEnvelope<?>> sent = new ArrayList<>();
        sent.addAll(publish(5));
        await().atMost(Duration.ofSeconds(30)).until(() -> allAppliedOnce(sent));

        database.cut();
        try {
            sent.addAll(publish(5));
            Map<String, Integer> failuresAtCut = failuresNow();
            // Each group fails the same records again and again: far beyond the three attempts of a budget.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> GROUPS.stream().allMatch(g -> OutageModule.failures(g) >= failuresAtCut.get(g) + 6));
            sent.addAll(publish(5));
            assertThat(GROUPS)
                    .allSatisfy(group -> assertThat(blockedFailures(group))
                            .as("aiw3_consumer_blocked_failures of %s while the database is away", group)
                            .isGreaterThanOrEqualTo(3));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> GROUPS.stream().allMatch(g -> OutageModule.failures(g) >= failuresAtCut.get(g) + 10));
            assertThat(deadLetters()).as("dead letters during the outage").isEqualTo(deadLettersBefore);
        } finally {
            database.restore();
        }
        sent.addAll(publish(5));

        await().atMost(Duration.ofSeconds(60)).until(() -> allAppliedOnce(sent));
        for (String group : GROUPS) {
            for (EventEnvelope<?> event : sent) {
                assertThat(applied(group, event))
                        .as("%s applied %s", group, event.eventId())
                        .isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> blockedFailures(group) == 0);
        }
        assertThat(deadLetters()).as("nothing dead-lettered").isEqualTo(deadLettersBefore);
    }

    @Test
    @Order(3)
    void aDeadLetteredRecordIsAppliedExactlyOnceAfterReplay() throws Exception {
        String user = "unregistered-" + UUID.randomUUID();
        OutageModule.RecordConsumer recordConsumer = module.getBean(OutageModule.RecordConsumer.class);
        recordConsumer.unknownUsers.add(user);
        long deadLettersBefore = deadLetters();
        EventEnvelope<?> event = send(user);

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters() == deadLettersBefore + 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> applied(BATCH_GROUP, event) == 1 && applied(RAW_BATCH_GROUP, event) == 1);
        assertThat(applied(RECORD_GROUP, event)).isZero();

        // The user registers; the operator replays what this consumer group dead-lettered.
        recordConsumer.unknownUsers.remove(user);
        Map<String, Object> client = Map.of("bootstrap.servers", kafka.getBrokersAsString());
        DeadLetterReplay.Result first =
                DeadLetterReplay.replay(client, DLT, Optional.of(RECORD_GROUP), Duration.ofSeconds(30));
        assertThat(first.replayed()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).until(() -> applied(RECORD_GROUP, event) == 1);
        ConsumerRecord<String, byte[]> copy = originalTopicRecords().stream()
                .filter(r -> header(r, DeadLetterReplay.REPLAYED_FROM) != null)
                .filter(r -> event.eventId().toString().equals(header(r, EventHeaders.EVENT_ID)))
                .findFirst()
                .orElseThrow();
        assertThat(copy.key()).isEqualTo(event.key());
        assertThat(copy.headers().toArray()).noneMatch(h -> h.key().startsWith("kafka_dlt-"));

        // A second replay finds nothing new; the other groups received the copy too and skipped it.
        assertThat(DeadLetterReplay.replay(client, DLT, Optional.of(RECORD_GROUP), Duration.ofSeconds(30))
                        .replayed())
                .isZero();
        EventEnvelope<?> marker = send("after-replay-" + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(30)).until(() -> allAppliedOnce(List.of(marker)));
        for (String group : GROUPS) {
            assertThat(applied(group, event))
                    .as("%s applied the replayed event", group)
                    .isEqualTo(1);
        }
    }

    private static Map<String, Integer> failuresNow() {
        return GROUPS.stream().collect(Collectors.toMap(g -> g, OutageModule::failures));
    }

    private static List<EventEnvelope<?>> publish(int count) throws Exception {
        List<EventEnvelope<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(send("user-" + UUID.randomUUID()));
        }
        return events;
    }

    @SuppressWarnings("unchecked")
    private static EventEnvelope<?> send(String user) throws Exception {
        EventEnvelope<?> event =
                EventEnvelope.of(new UpgradeEvent.QualificationVerified(UUID.randomUUID(), user, 2), "outage-test");
        KafkaTemplate<String, EventEnvelope<?>> template = module.getBean("kafkaTemplate", KafkaTemplate.class);
        template.send(event.topic().name(), event.key(), event).get();
        return event;
    }

    private static boolean allAppliedOnce(List<EventEnvelope<?>> events) {
        return GROUPS.stream().allMatch(group -> events.stream().allMatch(e -> applied(group, e) == 1));
    }

    private static int applied(String group, EventEnvelope<?> event) {
        return direct.sql("select count(*) from consumed_effect where consumer = ? and event_id = ?")
                .params(group, event.eventId())
                .query(Integer.class)
                .single();
    }

    private static double blockedFailures(String group) {
        Gauge gauge = gauge("aiw3.consumer.blocked.failures", group);
        return gauge == null ? 0 : gauge.value();
    }

    private static Gauge gauge(String name, String group) {
        return module.getBean(MeterRegistry.class)
                .find(name)
                .tag("group", group)
                .gauge();
    }

    private static long deadLetters() {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(DLT).stream()
                    .map(p -> new TopicPartition(DLT, p.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    private static List<ConsumerRecord<String, byte[]>> originalTopicRecords() {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            String topic = Topics.NFT_UPGRADE_EVENTS.name();
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return records;
        }
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "outage-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(props);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
