package com.aiw3.messaging.tracing;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Carries the W3C trace context ({@code traceparent}) over the hops Spring's observations do not see: an
 * outbox row between the transaction that writes it and the relay that sends it, and records read by a
 * plain Kafka consumer (sse-gateway's feed). Kafka templates and listener containers propagate it in record
 * headers themselves; a batch listener's records, which they do not trace; and the steps of a long-running
 * process (an upgrade) that continue the trace of the request that started it. Without a tracer on the class
 * path every method is a no-op.
 */
public final class MessageTracing {

    /** The W3C Trace Context header. */
    public static final String TRACEPARENT = "traceparent";

    /** At most this many records of one batch are linked to the batch's span; the rest are only counted. */
    public static final int MAX_BATCH_LINKS = 128;

    /** The tag of a batch span that counts its records. */
    public static final String BATCH_SIZE_TAG = "messaging.batch.message_count";

    /** Traces nothing: for code and tests that run without a tracer. */
    public static final MessageTracing NOOP = new MessageTracing(Tracer.NOOP, Propagator.NOOP);

    private final Tracer tracer;
    private final Propagator propagator;

    public MessageTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The current span's context as a {@code traceparent} value; null outside a span or without a tracer. */
    public @Nullable String currentTraceParent() {
        Span span = tracer.currentSpan();
        if (span == null || span.isNoop()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * Starts a span whose parent is {@code traceParent} (a new trace when it is null or unreadable) and makes it
     * the current span of this thread until the returned scope is closed, which ends the span. A null kind is
     * an internal span.
     */
    public Scope continueTrace(@Nullable String traceParent, String name, Span.@Nullable Kind kind) {
        return continueTrace(traceParent, name, kind, null);
    }

    /**
     * Like {@link #continueTrace(String, String, Span.Kind)}, with a span link to {@code linked} (a
     * {@code traceparent}) when it is readable and names another trace: the step of a process continues the
     * process's trace and links to the request or timer run that made it happen.
     */
    public Scope continueTrace(
            @Nullable String traceParent, String name, Span.@Nullable Kind kind, @Nullable String linked) {
        Map<String, String> carrier = traceParent == null ? Map.of() : Map.of(TRACEPARENT, traceParent);
        Span.Builder builder = propagator
                .extract(carrier, (Map<String, String> c, String key) -> c.get(key))
                .name(name);
        if (kind != null) {
            builder = builder.kind(kind);
        }
        TraceContext link = context(linked);
        if (link != null && (traceParent == null || !traceParent.contains(link.traceId()))) {
            builder = builder.addLink(new Link(link));
        }
        Span span = builder.start();
        return new Scope(span, tracer.withSpan(span));
    }

    /**
     * Starts the one span of a batch listener's call: a new trace (a batch mixes records of many traces) of kind
     * consumer, with a span link to the trace context of each of the first {@link #MAX_BATCH_LINKS} records that
     * carry one, and the batch's size as {@link #BATCH_SIZE_TAG}. Current on this thread until the scope is
     * closed. A record costs one header lookup; no span is started per record.
     */
    public Scope batch(String name, List<? extends ConsumerRecord<?, ?>> records) {
        Span.Builder builder = tracer.spanBuilder().setNoParent().name(name).kind(Span.Kind.CONSUMER);
        int links = 0;
        for (int i = 0; i < records.size() && links < MAX_BATCH_LINKS; i++) {
            Header header = records.get(i).headers().lastHeader(TRACEPARENT);
            TraceContext context = header == null || header.value() == null
                    ? null
                    : context(new String(header.value(), StandardCharsets.UTF_8));
            if (context != null) {
                builder = builder.addLink(new Link(context));
                links++;
            }
        }
        Span span = builder.tag(BATCH_SIZE_TAG, records.size()).start();
        return new Scope(span, tracer.withSpan(span));
    }

    /**
     * The trace context a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}) names, as a
     * link's target; null when it is absent or unreadable.
     */
    private @Nullable TraceContext context(@Nullable String traceParent) {
        if (traceParent == null || !isTraceParent(traceParent)) {
            return null;
        }
        return tracer.traceContextBuilder()
                .traceId(traceParent.substring(3, 35))
                .spanId(traceParent.substring(36, 52))
                .sampled((HexFormat.fromHexDigits(traceParent.substring(53, 55)) & 1) == 1)
                .build();
    }

    /**
     * The trace id of a Kafka record's W3C {@code traceparent} header, or {@code none} when it has none or it is
     * unreadable: for log lines that name the trace a record continues.
     */
    public static String traceIdOf(Headers headers) {
        Header header = headers.lastHeader(TRACEPARENT);
        if (header == null || header.value() == null) {
            return "none";
        }
        String traceParent = new String(header.value(), StandardCharsets.UTF_8);
        return isTraceParent(traceParent) ? traceParent.substring(3, 35) : "none";
    }

    /** {@code 00-<trace id>-<span id>-<flags>}, each part hex of its length. */
    private static boolean isTraceParent(String traceParent) {
        return traceParent.length() >= 55
                && traceParent.charAt(2) == '-'
                && traceParent.charAt(35) == '-'
                && traceParent.charAt(52) == '-'
                && isHex(traceParent.substring(3, 35))
                && isHex(traceParent.substring(36, 52))
                && isHex(traceParent.substring(53, 55));
    }

    private static boolean isHex(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.digit(value.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Like {@link #continueTrace(String, String, Span.Kind)}, from a Kafka record's {@code traceparent} header. */
    public Scope continueTrace(Headers headers, String name, Span.Kind kind) {
        Header header = headers.lastHeader(TRACEPARENT);
        return continueTrace(
                header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8),
                name,
                kind);
    }

    /** A started span, current on this thread until {@link #close()}. */
    public static final class Scope implements AutoCloseable {

        private final Span span;
        private final Tracer.SpanInScope inScope;

        private Scope(Span span, Tracer.SpanInScope inScope) {
            this.span = span;
            this.inScope = inScope;
        }

        /** Adds a tag (event id, type) to the span. */
        public Scope tag(String key, String value) {
            span.tag(key, value);
            return this;
        }

        /** Records a failure on the span. */
        public void error(Throwable failure) {
            span.error(failure);
        }

        @Override
        public void close() {
            inScope.close();
            span.end();
        }
    }
}
