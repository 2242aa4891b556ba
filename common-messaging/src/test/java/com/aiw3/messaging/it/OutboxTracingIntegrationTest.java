package com.aiw3.messaging.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.testing.TestPostgres;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One trace across the outbox and Kafka: a span in progress when the producing module writes its outbox row
 * is the ancestor of the relay's send and of the consuming module's listener span, and the consumer's log
 * lines (JSON) carry that trace id with the event's ids. Each module exports its spans to memory.
 */
@ExtendWith(OutputCaptureExtension.class)
class OutboxTracingIntegrationTest {

    private static EmbeddedKafkaKraftBroker kafka;
    private static ConfigurableApplicationContext producer;
    private static ConfigurableApplicationContext consumer;

    /** Every finished span of a module, exported at once. */
    @Configuration(proxyBeanMethods = false)
    static class SpanCapture {
        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    @BeforeAll
    static void start() {
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        producer = module(ProducerModule.class, "trace-producer", "it-producer");
        consumer = module(ConsumerModule.class, "trace-consumer", "it-consumer");
    }

    private static ConfigurableApplicationContext module(Class<?> app, String name, String migrations) {
        TestPostgres.Database db = TestPostgres.freshSchema(name.replace('-', '_'));
        return new SpringApplicationBuilder(app, SpanCapture.class)
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
                        Map.entry("aiw3.messaging.outbox.sweep-interval", "300ms"),
                        Map.entry("management.tracing.sampling.probability", "1.0"),
                        Map.entry("management.opentelemetry.tracing.export.schedule-delay", "50ms"),
                        Map.entry("logging.structured.format.console", "ecs")))
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

    @Test
    void theSpanThatWritesTheOutboxRowIsTheAncestorOfTheConsumersSpanAfterRelay(CapturedOutput output) {
        Tracer tracer = producer.getBean(Tracer.class);
        String user = "traced-" + UUID.randomUUID();
        Span request = tracer.nextSpan().name("upgrade request").start();
        EventEnvelope<?> event;
        try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
            event = producer.getBean(ProducerModule.Upgrades.class).request(user, 2, false);
        } finally {
            request.end();
        }
        String traceId = request.context().traceId();

        assertThat(producer.getBean(JdbcClient.class)
                        .sql("select trace_parent from messaging_outbox where event_id = ?")
                        .param(event.eventId())
                        .query(String.class)
                        .single())
                .as("the row keeps the writer's trace context")
                .isEqualTo("00-" + traceId + "-" + request.context().spanId() + "-01");

        SpanData received = await().atMost(Duration.ofSeconds(30))
                .until(() -> find(consumer, traceId, SpanKind.CONSUMER), Optional::isPresent)
                .orElseThrow();
        SpanData sent = await().atMost(Duration.ofSeconds(30))
                .until(() -> find(producer, traceId, SpanKind.PRODUCER), Optional::isPresent)
                .orElseThrow();
        SpanData relayed = spans(producer).stream()
                .filter(span -> span.getSpanId().equals(sent.getParentSpanId()))
                .findFirst()
                .orElseThrow();

        assertThat(received.getParentSpanId()).as("listener under the send").isEqualTo(sent.getSpanId());
        assertThat(relayed.getName()).isEqualTo("outbox relay");
        assertThat(relayed.getParentSpanId())
                .as("relay under the span that wrote the row")
                .isEqualTo(request.context().spanId());
        assertThat(received.getResource().getAttributes().asMap().toString()).contains("trace-consumer");

        UUID upgradeId = ((UpgradeEvent) event.payload()).upgradeId();
        JsonNode line = await().atMost(Duration.ofSeconds(10))
                .until(() -> logLine(output, "applying " + event.type() + " for " + user), Optional::isPresent)
                .orElseThrow();
        assertThat(line.path("traceId").asString()).isEqualTo(traceId);
        assertThat(line.path("spanId").asString()).isNotBlank();
        assertThat(line.path("upgradeId").asString()).isEqualTo(upgradeId.toString());
        assertThat(line.path("eventId").asString()).isEqualTo(event.eventId().toString());
    }

    @Test
    void aRowWrittenOutsideAnySpanStartsItsTraceAtTheRelay() {
        String user = "untraced-" + UUID.randomUUID();
        EventEnvelope<?> event = producer.getBean(ProducerModule.Upgrades.class).request(user, 2, false);

        assertThat(producer.getBean(JdbcClient.class)
                        .sql("select trace_parent from messaging_outbox where event_id = ?")
                        .param(event.eventId())
                        .query(String.class)
                        .optional())
                .isEmpty();
        SpanData relayed = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> spans(producer).stream()
                                .filter(span -> span.getName().equals("outbox relay"))
                                .filter(span -> event.eventId()
                                        .toString()
                                        .equals(span.getAttributes().asMap().entrySet().stream()
                                                .filter(e -> e.getKey().getKey().equals("aiw3.event.id"))
                                                .map(e -> String.valueOf(e.getValue()))
                                                .findFirst()
                                                .orElse(null)))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        assertThat(relayed.getParentSpanContext().isValid()).as("a root span").isFalse();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> find(consumer, relayed.getTraceId(), SpanKind.CONSUMER), Optional::isPresent);
    }

    private static List<SpanData> spans(ConfigurableApplicationContext module) {
        return module.getBean(InMemorySpanExporter.class).getFinishedSpanItems();
    }

    private static Optional<SpanData> find(ConfigurableApplicationContext module, String traceId, SpanKind kind) {
        return spans(module).stream()
                .filter(span -> span.getTraceId().equals(traceId) && span.getKind() == kind)
                .findFirst();
    }

    private static Optional<JsonNode> logLine(CapturedOutput output, String message) {
        JsonMapper json = JsonMapper.builder().build();
        return output.getOut()
                .lines()
                .filter(line -> line.startsWith("{") && line.contains(message))
                .map(json::readTree)
                .findFirst();
    }
}
