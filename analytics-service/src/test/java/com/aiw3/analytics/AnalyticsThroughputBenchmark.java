package com.aiw3.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.EventEnvelope;
import com.aiw3.testing.ConsumptionBenchmark;
import com.aiw3.testing.EventMix;
import com.aiw3.testing.TestPostgres;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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
 * Analytics projection (exactly-once) throughput against a plain Kafka read of the same records, on this machine:
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
        int users = Integer.getInteger("benchmark.users", 3_000);
        List<EventEnvelope<?>> events = EventMix.upgradeJourneys(users);
        Set<String> topics = events.stream().map(e -> e.topic().name()).collect(Collectors.toSet());
        ConsumptionBenchmark.preload(kafka.getBrokersAsString(), events);

        double baseline =
                ConsumptionBenchmark.baselineEventsPerSecond(kafka.getBrokersAsString(), topics, events.size());
        double service = ConsumptionBenchmark.serviceEventsPerSecond(
                () -> listeners.getListenerContainer("analytics-projector").start(),
                () -> jdbc.sql("select count(*) from messaging_processed_event")
                        .query(Long.class)
                        .single(),
                events.size());

        ConsumptionBenchmark.report("analytics-service", events.size(), service, baseline);
        assertThat(jdbc.sql("select count(*) from messaging_processed_event")
                        .query(Long.class)
                        .single())
                .isEqualTo(events.size());
    }
}
