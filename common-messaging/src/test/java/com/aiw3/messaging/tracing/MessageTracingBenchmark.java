package com.aiw3.messaging.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * CPU per record of sse-gateway's {@code sse deliver} span ({@link MessageTracing#continueTrace} from a record's
 * {@code traceparent}, two tags, end) on the OpenTelemetry SDK the services run: with no tracer, sampled
 * without an exporter (as the services run without an export endpoint), and sampled and exported through the
 * batch processor to an exporter that discards. Process CPU time, so the export thread is counted. A
 * broadcast's span is shared by every stream it reaches; a user's event's by that user's streams.
 *
 * <p>{@code ./mvnw -Pbenchmark -pl common-messaging -am verify -Dit.test=MessageTracingBenchmark}
 * ({@code -Dbenchmark.spans=500000}).
 */
class MessageTracingBenchmark {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Test
    void cpuPerRecordSpan() {
        int spans = Integer.getInteger("benchmark.spans", 500_000);
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                MessageTracing.TRACEPARENT,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
        AtomicLong exported = new AtomicLong();
        List<String> rows = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            rows.add(row(round, "no tracer", MessageTracing.NOOP, headers, spans, null));
            try (SdkTracerProvider provider = SdkTracerProvider.builder().build()) {
                rows.add(row(round, "sampled, not exported", tracing(provider), headers, spans, null));
            }
            SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
                    .addSpanProcessor(
                            BatchSpanProcessor.builder(new Discarding(exported)).build());
            try (SdkTracerProvider provider = builder.build()) {
                rows.add(row(round, "sampled, exported", tracing(provider), headers, spans, provider));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%n| round | tracer | ns CPU per record span |%n|---|---|---|%n%s%n",
                String.join("\n", rows));
        assertThat(exported.get()).isEqualTo(3L * 2 * spans);
    }

    private static MessageTracing tracing(SdkTracerProvider provider) {
        io.opentelemetry.api.trace.Tracer otel = provider.get("benchmark");
        return new MessageTracing(
                new OtelTracer(otel, new OtelCurrentTraceContext(), event -> {}),
                new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));
    }

    private static String row(
            int round,
            String name,
            MessageTracing tracing,
            RecordHeaders headers,
            int spans,
            SdkTracerProvider flushed) {
        run(tracing, headers, spans, flushed); // warm-up
        long cpu = OS.getProcessCpuTime();
        run(tracing, headers, spans, flushed);
        double nanos = (double) (OS.getProcessCpuTime() - cpu) / spans;
        return String.format(Locale.ROOT, "| %d | %s | %.0f |", round, name, nanos);
    }

    /**
     * Starts and ends {@code spans} spans; with an exporter, flushes every 1,024 so that the processor's queue
     * (2,048, as the services run it) never drops one and every span is exported.
     */
    private static void run(MessageTracing tracing, RecordHeaders headers, int spans, SdkTracerProvider flushed) {
        for (int i = 0; i < spans; i++) {
            if (flushed != null && i % 1024 == 0) {
                flushed.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            try (MessageTracing.Scope span = tracing.continueTrace(headers, "sse deliver", Span.Kind.CONSUMER)) {
                span.tag("aiw3.event.id", "5b0e3f4e-9c1a-4d57-8a8e-3b1f0f6a2c11")
                        .tag("aiw3.event.type", "BadgeEarned");
            }
        }
    }

    /** An exporter that takes every batch and keeps nothing but a count. */
    private record Discarding(AtomicLong exported) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            exported.addAndGet(spans.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
