package com.aiw3.messaging.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The spans {@link MessageTracing} starts, on the OpenTelemetry SDK the services run, exported in memory: a
 * batch listener's one span with a link per record, and a process step that continues its process's trace
 * and links to the request that set it off.
 */
class MessageTracingTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .build();
    private final io.opentelemetry.api.trace.Tracer otel = provider.get("test");
    private final MessageTracing tracing = new MessageTracing(
            new OtelTracer(otel, new OtelCurrentTraceContext(), event -> {}),
            new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aBatchIsOneSpanInATraceOfItsOwnLinkedToTheTraceOfEachOfItsRecords() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(record(i, traceParent(i)));
        }
        records.add(record(3, null)); // published outside any trace
        records.add(record(4, "not a traceparent"));

        try (MessageTracing.Scope batch = tracing.batch("audit-intake batch", records)) {
            assertThat(tracing.currentTraceParent()).isNotNull();
        }

        SpanData span =
                assertThat(exported.getFinishedSpanItems()).singleElement().actual();
        assertThat(span.getName()).isEqualTo("audit-intake batch");
        assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(span.getAttributes().get(AttributeKey.longKey(MessageTracing.BATCH_SIZE_TAG)))
                .isEqualTo(5L);
        assertThat(span.getLinks())
                .extracting(link -> link.getSpanContext().getTraceId())
                .containsExactly(traceId(0), traceId(1), traceId(2))
                .doesNotContain(span.getTraceId());
        assertThat(span.getLinks())
                .extracting(link -> link.getSpanContext().getSpanId())
                .containsExactly(spanId(0), spanId(1), spanId(2));
    }

    @Test
    void aLargeBatchLinksItsFirstRecordsOnlyAndCountsThemAll() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        int size = MessageTracing.MAX_BATCH_LINKS + 72;
        for (int i = 0; i < size; i++) {
            records.add(record(i, traceParent(i)));
        }

        try (MessageTracing.Scope batch = tracing.batch("analytics-projector batch", records)) {
            // the listener's work
        }

        SpanData span = exported.getFinishedSpanItems().getFirst();
        assertThat(span.getLinks()).hasSize(MessageTracing.MAX_BATCH_LINKS);
        assertThat(span.getLinks().getLast().getSpanContext().getTraceId())
                .isEqualTo(traceId(MessageTracing.MAX_BATCH_LINKS - 1));
        assertThat(span.getAttributes().get(AttributeKey.longKey(MessageTracing.BATCH_SIZE_TAG)))
                .isEqualTo((long) size);
    }

    @Test
    void aStepContinuesItsProcesssTraceAndLinksToTheRequestThatSetItOff() {
        String process = traceParent(1);
        String request = traceParent(2);

        try (MessageTracing.Scope step = tracing.continueTrace(process, "upgrade step", null, request)) {
            assertThat(tracing.currentTraceParent()).contains(traceId(1));
        }
        // A trigger in the process's own trace is its parent already: no link.
        try (MessageTracing.Scope step = tracing.continueTrace(process, "upgrade step", null, process)) {
            // the step's work
        }

        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).hasSize(2).allSatisfy(span -> {
            assertThat(span.getTraceId()).isEqualTo(traceId(1));
            assertThat(span.getParentSpanId()).isEqualTo(spanId(1));
        });
        assertThat(spans.getFirst().getLinks())
                .extracting(LinkData::getSpanContext)
                .singleElement()
                .satisfies(linked -> {
                    assertThat(linked.getTraceId()).isEqualTo(traceId(2));
                    assertThat(linked.getSpanId()).isEqualTo(spanId(2));
                });
        assertThat(spans.getLast().getLinks()).isEmpty();
    }

    private static ConsumerRecord<String, String> record(int offset, String traceParent) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("topic", 0, offset, "key", "value");
        if (traceParent != null) {
            record.headers().add(MessageTracing.TRACEPARENT, traceParent.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static String traceParent(int i) {
        return "00-" + traceId(i) + "-" + spanId(i) + "-01";
    }

    private static String traceId(int i) {
        return "%032x".formatted(i + 1);
    }

    private static String spanId(int i) {
        return "%016x".formatted(i + 1);
    }
}
