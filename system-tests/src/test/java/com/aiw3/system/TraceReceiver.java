package com.aiw3.system;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector's OTLP/HTTP trace endpoint in the test JVM: every service exports its spans to
 * {@code POST /v1/traces} (protobuf, as Spring Boot's exporter sends them), and they are kept in memory, the
 * identity, parent, name, kind, service and string attributes of each.
 */
final class TraceReceiver implements AutoCloseable {

    /**
     * One span as a service exported it; ids in lower-case hex, the parent empty for a trace's root, and the
     * trace ids of the spans it links to.
     */
    record Span(
            String traceId,
            String spanId,
            String parentSpanId,
            String service,
            String name,
            String kind,
            long startNanos,
            Map<String, String> attributes,
            List<String> linkedTraceIds) {

        boolean isRoot() {
            return parentSpanId.isEmpty();
        }

        String attribute(String key) {
            return attributes.getOrDefault(key, "");
        }

        /** {@code service: name (kind)}, with the event type or the URL the span is about when it names one. */
        @Override
        public String toString() {
            String about = DETAIL.stream()
                    .map(this::attribute)
                    .filter(value -> !value.isEmpty() && !value.equals("none") && !value.equals("UNKNOWN"))
                    .findFirst()
                    .map(value -> " " + value)
                    .orElse("");
            return service + ": " + name + " (" + kind + ")" + about;
        }
    }

    private static final HexFormat HEX = HexFormat.of();
    /** The attributes that say what a span is about, in the order a tree line prefers them. */
    private static final List<String> DETAIL = List.of("aiw3.event.type", "http.url", "url.full", "uri");

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Span> spans = new ConcurrentLinkedQueue<>();

    private TraceReceiver(HttpServer server) {
        this.server = server;
    }

    static TraceReceiver start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        TraceReceiver receiver = new TraceReceiver(server);
        server.createContext("/v1/traces", receiver::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return receiver;
    }

    /** What a service's {@code management.opentelemetry.tracing.export.otlp.endpoint} names. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    /** Every span received so far. */
    List<Span> spans() {
        return List.copyOf(spans);
    }

    /** The spans of one trace received so far, in the order they started. */
    List<Span> trace(String traceId) {
        return spans.stream()
                .filter(span -> span.traceId().equals(traceId))
                .sorted(Comparator.comparingLong(Span::startNanos))
                .toList();
    }

    /**
     * A trace as an indented tree, one line per span ({@code service: name (kind)}), children in the order
     * they started; spans whose parent is not among them are listed as roots.
     */
    static String tree(List<Span> trace) {
        Set<String> ids = trace.stream().map(Span::spanId).collect(Collectors.toSet());
        Map<String, List<Span>> children = new LinkedHashMap<>();
        List<Span> roots = new ArrayList<>();
        trace.stream().sorted(Comparator.comparingLong(Span::startNanos)).forEach(span -> {
            if (ids.contains(span.parentSpanId())) {
                children.computeIfAbsent(span.parentSpanId(), k -> new ArrayList<>())
                        .add(span);
            } else {
                roots.add(span);
            }
        });
        StringBuilder out = new StringBuilder();
        roots.forEach(root -> append(out, root, children, 0));
        return out.toString();
    }

    private static void append(StringBuilder out, Span span, Map<String, List<Span>> children, int depth) {
        out.append("  ".repeat(depth)).append(span).append('\n');
        children.getOrDefault(span.spanId(), List.of()).forEach(child -> append(out, child, children, depth + 1));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.startsWith("application/x-protobuf")) {
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            byte[] body;
            try (InputStream in = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody())
                    : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                keep(ExportTraceServiceRequest.parseFrom(body));
            } catch (InvalidProtocolBufferException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    private void keep(ExportTraceServiceRequest request) {
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service =
                    strings(resource.getResource().getAttributesList()).getOrDefault("service.name", "unknown");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
                    spans.add(new Span(
                            hex(span.getTraceId()),
                            hex(span.getSpanId()),
                            hex(span.getParentSpanId()),
                            service,
                            span.getName(),
                            span.getKind().name().replace("SPAN_KIND_", ""),
                            span.getStartTimeUnixNano(),
                            strings(span.getAttributesList()),
                            span.getLinksList().stream()
                                    .map(link -> hex(link.getTraceId()))
                                    .toList()));
                }
            }
        }
    }

    private static Map<String, String> strings(List<KeyValue> attributes) {
        Map<String, String> values = new LinkedHashMap<>();
        for (KeyValue attribute : attributes) {
            AnyValue value = attribute.getValue();
            values.put(
                    attribute.getKey(),
                    switch (value.getValueCase()) {
                        case STRING_VALUE -> value.getStringValue();
                        case INT_VALUE -> Long.toString(value.getIntValue());
                        case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
                        case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
                        default -> value.toString();
                    });
        }
        return values;
    }

    private static String hex(ByteString id) {
        return id.isEmpty() ? "" : HEX.formatHex(id.toByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
