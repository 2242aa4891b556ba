package com.aiw3.messaging.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.serde.EventHeaders;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.testing.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One module publishes through its outbox, another consumes idempotently: two Spring applications with
 * their own PostgreSQL schemas, talking only through a real (embedded KRaft) Kafka broker.
 */
class OutboxToInboxIntegrationTest {

    private static EmbeddedKafkaKraftBroker kafka;
    private static ConfigurableApplicationContext producer;
    private static ConfigurableApplicationContext consumer;

    @BeforeAll
    static void start() {
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        producer = module(ProducerModule.class, "producer", "it-producer");
        consumer = module(ConsumerModule.class, "consumer", "it-consumer");
    }

    private static ConfigurableApplicationContext module(Class<?> app, String name, String migrations) {
        TestPostgres.Database db = TestPostgres.freshSchema(name);
        return new SpringApplicationBuilder(app)
                .properties(Map.ofEntries(
                        Map.entry("spring.main.web-application-type", "none"),
                        Map.entry("spring.application.name", name),
                        Map.entry("spring.kafka.bootstrap-servers", kafka.getBrokersAsString()),
                        Map.entry("spring.datasource.url", db.jdbcUrl()),
                        Map.entry("spring.datasource.username", db.username()),
                        Map.entry("spring.datasource.password", db.password()),
                        Map.entry("spring.flyway.schemas", db.schema()),
                        Map.entry("spring.flyway.locations", "classpath:db/" + migrations),
                        Map.entry("aiw3.messaging.source", name),
                        Map.entry("aiw3.messaging.topics.max-partitions", "2"),
                        Map.entry("aiw3.messaging.consumer.initial-backoff", "50ms"),
                        Map.entry("aiw3.messaging.outbox.sweep-interval", "300ms")))
                .run();
    }

    @AfterAll
    static void stop() {
        if (consumer != null) {
            consumer.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    private static ProducerModule.Upgrades upgrades() {
        return producer.getBean(ProducerModule.Upgrades.class);
    }

    private static ConsumerModule.Listener listener() {
        return consumer.getBean(ConsumerModule.Listener.class);
    }

    private static int appliedEffects(UUID eventId) {
        return consumer.getBean(JdbcClient.class)
                .sql("select count(*) from applied_effect where event_id = ?")
                .param(eventId)
                .query(Integer.class)
                .single();
    }

    @Test
    void anEventDeliveredTwiceIsAppliedOnce() {
        EventEnvelope<?> event = upgrades().request("user-" + UUID.randomUUID(), 2, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> appliedEffects(event.eventId()) == 1);
        int deliveriesBefore = listener().deliveries.get();

        // The relay crashed after Kafka acknowledged but before it recorded that: the row is pending again.
        producer.getBean(JdbcClient.class)
                .sql("update messaging_outbox set published_at = null where event_id = ?")
                .param(event.eventId())
                .update();

        await().atMost(Duration.ofSeconds(30)).until(() -> listener().deliveries.get() > deliveriesBefore);
        assertThat(appliedEffects(event.eventId())).isEqualTo(1);
        assertThat(consumer.getBean(MeterRegistry.class)
                        .get("aiw3.inbox.events")
                        .tag("consumer", "consumer-module")
                        .tag("outcome", "duplicate")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aRolledBackTransactionPublishesNothing() {
        String user = "user-" + UUID.randomUUID();
        assertThatThrownBy(() -> upgrades().request(user, 3, true)).isInstanceOf(IllegalStateException.class);
        EventEnvelope<?> next = upgrades().request(user, 4, false);

        await().atMost(Duration.ofSeconds(30)).until(() -> appliedEffects(next.eventId()) == 1);
        assertThat(listener().attemptsByUser.get(user).get()).isEqualTo(1);
        assertThat(producer.getBean(JdbcClient.class)
                        .sql("select count(*) from upgrade_request where user_id = ?")
                        .param(user)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aTransientFailureIsRetriedWithBackOffAndAppliedOnce() {
        EventEnvelope<?> event = upgrades().request(ConsumerModule.TRANSIENT_USER, 2, false);

        await().atMost(Duration.ofSeconds(30)).until(() -> appliedEffects(event.eventId()) == 1);
        assertThat(listener().attemptsByUser.get(ConsumerModule.TRANSIENT_USER).get())
                .isEqualTo(3);
    }

    @Test
    void badInputAndPoisonRecordsGoToTheDeadLetterTopicWithAReason() {
        EventEnvelope<?> bad = upgrades().request(ConsumerModule.BAD_USER, 2, false);
        @SuppressWarnings("unchecked")
        KafkaTemplate<String, byte[]> raw = producer.getBean("rawEventKafkaTemplate", KafkaTemplate.class);
        raw.send(new ProducerRecord<>(Topics.NFT_UPGRADE_EVENTS.name(), "poison-key", "{not json".getBytes()));

        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> dlt = deadLetterConsumer()) {
            dlt.subscribe(List.of(Topics.NFT_UPGRADE_EVENTS.deadLetterName()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dlt.poll(Duration.ofMillis(200)).forEach(dead::add);
                return dead.stream().anyMatch(r -> "poison-key".equals(r.key()))
                        && dead.stream().anyMatch(r -> ConsumerModule.BAD_USER.equals(r.key()));
            });
        }
        ConsumerRecord<String, byte[]> badRecord = dead.stream()
                .filter(r -> ConsumerModule.BAD_USER.equals(r.key()))
                .findFirst()
                .orElseThrow();
        assertThat(header(badRecord, "kafka_dlt-exception-message")).contains("does not exist");
        assertThat(header(badRecord, EventHeaders.EVENT_ID))
                .isEqualTo(bad.eventId().toString());
        assertThat(listener().attemptsByUser.get(ConsumerModule.BAD_USER).get())
                .as("not retried")
                .isEqualTo(1);
        ConsumerRecord<String, byte[]> poison = dead.stream()
                .filter(r -> "poison-key".equals(r.key()))
                .findFirst()
                .orElseThrow();
        assertThat(new String(poison.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    }

    @Test
    void theOutboxRefusesToPublishOutsideATransaction() {
        var event = EventEnvelope.of(new UpgradeEvent.BurnFailed(UUID.randomUUID(), "u", "r"), "producer-module");

        assertThatThrownBy(() -> producer.getBean(EventPublisher.class).publish(event))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside the transaction");
    }

    private static KafkaConsumer<String, byte[]> deadLetterConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(props);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
