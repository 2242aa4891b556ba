package com.aiw3.analytics;

import com.aiw3.testing.ConsumptionBenchmark;
import com.aiw3.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Analytics projection (exactly-once) throughput against a plain Kafka read of the same records
 * (figures: docs/performance.md):
 * {@code ./mvnw -Pbenchmark -pl analytics-service -am verify [-Dbenchmark.users=5000]}.
 */
@SpringBootTest(
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "spring.kafka.listener.auto-startup=false",
            "aiw3.messaging.topics.max-partitions=3",
            "logging.level.root=WARN"
        })
@EmbeddedKafka(partitions = 3)
class AnalyticsThroughputBenchmark {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "analytics_bench");
    }

    @Autowired
    EmbeddedKafkaBroker kafka;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    JdbcClient jdbc;

    @Test
    void consumesTheBacklog() {
        ConsumptionBenchmark.measure(
                "analytics-service",
                kafka.getBrokersAsString(),
                Integer.getInteger("benchmark.users", 3_000),
                () -> listeners.getListenerContainer("analytics-projector").start(),
                () -> jdbc.sql("select count(*) from messaging_processed_event")
                        .query(Long.class)
                        .single());
    }
}
