package com.aiw3.messaging.it;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.serde.EventCodec;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.messaging.NonRetryableEventException;
import com.aiw3.messaging.inbox.IdempotentConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A module whose database can go away, consuming one topic the three ways the services do: a record
 * listener (notification-service), a batch listener through the inbox (analytics-service) and a raw batch
 * listener with its own container factory that fails whole batches (audit-service).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({OutageModule.RecordConsumer.class, OutageModule.BatchConsumer.class, OutageModule.RawBatchConsumer.class})
class OutageModule {

    static final String RECORD_GROUP = "outage-record";
    static final String BATCH_GROUP = "outage-batch";
    static final String RAW_BATCH_GROUP = "outage-raw-batch";
    static final String RAW_BATCH_FACTORY = "outageRawBatchFactory";

    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    /** Like audit-service's: raw bytes, batches, the shared error handler. */
    @Bean(RAW_BATCH_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, byte[]> outageRawBatchFactory(
            KafkaProperties kafka, CommonErrorHandler errorHandler) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        factory.setConsumerFactory(
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer()));
        factory.setBatchListener(true);
        factory.setCommonErrorHandler(errorHandler);
        return factory;
    }

    /** Failed attempts per consumer group, as the listener saw them. */
    static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

    private static void failed(String group) {
        FAILURES.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
    }

    static int failures(String group) {
        AtomicInteger count = FAILURES.get(group);
        return count == null ? 0 : count.get();
    }

    @Component
    static class RecordConsumer {
        /** Users whose events this consumer cannot process yet (they are not registered). */
        final Set<String> unknownUsers = ConcurrentHashMap.newKeySet();

        private final IdempotentConsumer inbox;
        private final JdbcClient jdbc;

        RecordConsumer(IdempotentConsumer inbox, JdbcClient jdbc) {
            this.inbox = inbox;
            this.jdbc = jdbc;
        }

        @KafkaListener(topics = Topics.Names.NFT_UPGRADE_EVENTS, groupId = RECORD_GROUP)
        void on(ConsumerRecord<String, EventEnvelope<EventPayload>> record) {
            EventEnvelope<EventPayload> event = record.value();
            if (event.payload() instanceof UpgradeEvent upgrade && unknownUsers.contains(upgrade.userId())) {
                throw new NonRetryableEventException("unknown user " + upgrade.userId());
            }
            try {
                inbox.runOnce(RECORD_GROUP, event, () -> record(jdbc, RECORD_GROUP, event));
            } catch (RuntimeException e) {
                failed(RECORD_GROUP);
                throw e;
            }
        }
    }

    @Component
    static class BatchConsumer {
        private final IdempotentConsumer inbox;
        private final JdbcClient jdbc;

        BatchConsumer(IdempotentConsumer inbox, JdbcClient jdbc) {
            this.inbox = inbox;
            this.jdbc = jdbc;
        }

        @KafkaListener(topics = Topics.Names.NFT_UPGRADE_EVENTS, groupId = BATCH_GROUP, batch = "true")
        void on(List<ConsumerRecord<String, EventEnvelope<EventPayload>>> records) {
            try {
                inbox.runOnceEach(
                        BATCH_GROUP,
                        records.stream().map(ConsumerRecord::value).toList(),
                        event -> record(jdbc, BATCH_GROUP, event));
            } catch (RuntimeException e) {
                failed(BATCH_GROUP);
                throw e;
            }
        }
    }

    @Component
    static class RawBatchConsumer {
        private final JdbcClient jdbc;
        private final TransactionTemplate tx;

        RawBatchConsumer(JdbcClient jdbc, TransactionTemplate tx) {
            this.jdbc = jdbc;
            this.tx = tx;
        }

        /** Deduplicates by event id itself, as the audit log does, in one transaction per batch. */
        @KafkaListener(
                topics = Topics.Names.NFT_UPGRADE_EVENTS,
                groupId = RAW_BATCH_GROUP,
                containerFactory = RAW_BATCH_FACTORY)
        void on(List<ConsumerRecord<String, byte[]>> records) {
            try {
                tx.executeWithoutResult(status -> {
                    for (ConsumerRecord<String, byte[]> raw : records) {
                        EventEnvelope<EventPayload> event = EventCodec.DEFAULT.read(raw.value());
                        boolean seen =
                                jdbc.sql("select count(*) from consumed_effect where consumer = ? and event_id = ?")
                                                .params(RAW_BATCH_GROUP, event.eventId())
                                                .query(Integer.class)
                                                .single()
                                        > 0;
                        if (!seen) {
                            record(jdbc, RAW_BATCH_GROUP, event);
                        }
                    }
                });
            } catch (RuntimeException e) {
                failed(RAW_BATCH_GROUP);
                throw e;
            }
        }
    }

    private static void record(JdbcClient jdbc, String consumer, EventEnvelope<?> event) {
        jdbc.sql("insert into consumed_effect (consumer, event_id) values (?, ?)")
                .params(consumer, event.eventId())
                .update();
    }
}
