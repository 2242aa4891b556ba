package com.aiw3.local;

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
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenTelemetry collector's OTLP/HTTP trace endpoint in this JVM: every service exports its spans to
 * {@code POST /v1/traces} (protobuf, as Spring Boot's exporter sends them). The system tests keep them in
 * memory ({@link #start}); {@code ./run-local --traces} appends each as one JSON line to a file
 * ({@link #toFile}), which {@code ./run-local trace} reads ({@link #read}).
 */
public final class TraceReceiver implements AutoCloseable {

    /** OTLP/HTTP's default port, the local run's receiver. */
    public static final int PORT = 4318;

    /**
     * One span as a service exported it; ids in lower-case hex, the parent empty for a trace's root, times in
     * nanoseconds since the epoch, and the trace ids of the spans it links to.
     */
    public record Span(
            String traceId,
            String spanId,
            String parentSpanId,
            String service,
            String name,
            String kind,
            long startNanos,
            long endNanos,
            Map<String, String> attributes,
            List<String> linkedTraceIds) {

        public Span {
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
            linkedTraceIds = List.copyOf(linkedTraceIds);
        }

        public boolean isRoot() {
            return parentSpanId.isEmpty();
        }

        public String attribute(String key) {
            return attributes.getOrDefault(key, "");
        }

        public Duration duration() {
            return Duration.ofNanos(Math.max(0, endNanos - startNanos));
        }

        /**
         * {@code service: name (kind)}, with the event type or the URL the span is about when it names one, and
         * its duration.
         */
        @Override
        public String toString() {
            String about = DETAIL.stream()
                    .map(this::attribute)
                    .filter(value -> !value.isEmpty() && !value.equals("none") && !value.equals("UNKNOWN"))
                    .findFirst()
                    .map(value -> " " + value)
                    .orElse("");
            return service + ": " + name + " (" + kind + ")" + about + ", "
                    + String.format(Locale.ROOT, "%.1f ms", duration().toNanos() / 1e6);
        }
    }

    private static final HexFormat HEX = HexFormat.of();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The attributes that say what a span is about, in the order a tree line prefers them. */
    private static final List<String> DETAIL = List.of("aiw3.event.type", "http.url", "url.full", "uri");

    private final HttpServer server;
    private final @Nullable ConcurrentLinkedQueue<Span> spans;
    private final @Nullable BufferedWriter file;

    private TraceReceiver(
            HttpServer server, @Nullable ConcurrentLinkedQueue<Span> spans, @Nullable BufferedWriter file) {
        this.server = server;
        this.spans = spans;
        this.file = file;
    }

    /** A receiver on {@code 127.0.0.1:port} that keeps every span in memory ({@link #spans()}). */
    public static TraceReceiver start(int port) throws IOException {
        return listen(new TraceReceiver(bind(port), new ConcurrentLinkedQueue<>(), null));
    }

    /**
     * A receiver on {@code 127.0.0.1:port} that appends every span to {@code jsonLines}, one JSON object a line
     * ({@link #toJson}), and keeps none in memory.
     */
    public static TraceReceiver toFile(int port, Path jsonLines) throws IOException {
        Path directory = jsonLines.toAbsolutePath().getParent();
        if (directory != null) {
            Files.createDirectories(directory);
        }
        BufferedWriter out = Files.newBufferedWriter(
                jsonLines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        try {
            return listen(new TraceReceiver(bind(port), null, out));
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    private static HttpServer bind(int port) throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    }

    private static TraceReceiver listen(TraceReceiver receiver) {
        receiver.server.createContext("/v1/traces", receiver::handle);
        receiver.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.server.start();
        return receiver;
    }

    /** What a service's {@code management.opentelemetry.tracing.export.otlp.endpoint} names. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    /** Every span received so far (none for a receiver writing to a file). */
    public List<Span> spans() {
        return spans == null ? List.of() : List.copyOf(spans);
    }

    /** The spans of one trace received so far, in the order they started. */
    public List<Span> trace(String traceId) {
        return ofTrace(spans(), traceId);
    }

    /** The spans of one trace in a file of JSON lines ({@link #toFile}), in the order they started. */
    public static List<Span> read(Path jsonLines, String traceId) throws IOException {
        if (!Files.exists(jsonLines)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(jsonLines, StandardCharsets.UTF_8)) {
            return ofTrace(
                    lines.filter(line -> line.contains(traceId))
                            .flatMap(line -> Stream.ofNullable(fromJsonOrNull(line)))
                            .toList(),
                    traceId);
        }
    }

    private static List<Span> ofTrace(List<Span> spans, String traceId) {
        return spans.stream()
                .filter(span -> span.traceId().equals(traceId))
                .sorted(Comparator.comparingLong(Span::startNanos))
                .toList();
    }

    /**
     * A trace as an indented tree, one line per span ({@link Span#toString()}), children in the order they
     * started; spans whose parent is not among them are listed as roots.
     */
    public static String tree(List<Span> trace) {
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

    /**
     * One span as one line of JSON: {@code traceId, spanId, parentSpanId, service, name, kind, start} (ISO-8601),
     * {@code startNanos, durationMicros, attributes, linkedTraceIds}.
     */
    public static String toJson(Span span) {
        ObjectNode node = JSON.createObjectNode()
                .put("traceId", span.traceId())
                .put("spanId", span.spanId())
                .put("parentSpanId", span.parentSpanId())
                .put("service", span.service())
                .put("name", span.name())
                .put("kind", span.kind())
                .put("start", Instant.EPOCH.plusNanos(span.startNanos()).toString())
                .put("startNanos", span.startNanos())
                .put("durationMicros", span.duration().toNanos() / 1_000);
        ObjectNode attributes = node.putObject("attributes");
        span.attributes().forEach(attributes::put);
        span.linkedTraceIds().forEach(node.putArray("linkedTraceIds")::add);
        return JSON.writeValueAsString(node);
    }

    /** A span from one line {@link #toJson} wrote. */
    public static Span fromJson(String line) {
        JsonNode node = JSON.readTree(line);
        Map<String, String> attributes = new LinkedHashMap<>();
        node.path("attributes")
                .properties()
                .forEach(e -> attributes.put(e.getKey(), e.getValue().asString()));
        List<String> links = new ArrayList<>();
        node.path("linkedTraceIds").forEach(id -> links.add(id.asString()));
        long start = node.path("startNanos").asLong();
        return new Span(
                node.path("traceId").asString(),
                node.path("spanId").asString(),
                node.path("parentSpanId").asString(),
                node.path("service").asString(),
                node.path("name").asString(),
                node.path("kind").asString(),
                start,
                start + node.path("durationMicros").asLong() * 1_000,
                attributes,
                links);
    }

    private static @Nullable Span fromJsonOrNull(String line) {
        try {
            return fromJson(line);
        } catch (RuntimeException unreadable) {
            // A line cut short when the run stopped mid-write.
            return null;
        }
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
                keep(decode(ExportTraceServiceRequest.parseFrom(body)));
            } catch (InvalidProtocolBufferException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            } catch (UncheckedIOException e) {
                exchange.sendResponseHeaders(500, -1);
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

    private void keep(List<Span> received) {
        if (spans != null) {
            spans.addAll(received);
        }
        BufferedWriter out = file;
        if (out != null) {
            synchronized (out) {
                try {
                    for (Span span : received) {
                        out.write(toJson(span));
                        out.newLine();
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** The spans of one export request, each with its resource's {@code service.name}. */
    static List<Span> decode(ExportTraceServiceRequest request) {
        List<Span> decoded = new ArrayList<>();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service =
                    strings(resource.getResource().getAttributesList()).getOrDefault("service.name", "unknown");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
                    decoded.add(new Span(
                            hex(span.getTraceId()),
                            hex(span.getSpanId()),
                            hex(span.getParentSpanId()),
                            service,
                            span.getName(),
                            span.getKind().name().replace("SPAN_KIND_", ""),
                            span.getStartTimeUnixNano(),
                            span.getEndTimeUnixNano(),
                            strings(span.getAttributesList()),
                            span.getLinksList().stream()
                                    .map(link -> hex(link.getTraceId()))
                                    .toList()));
                }
            }
        }
        return decoded;
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
        BufferedWriter out = file;
        if (out != null) {
            synchronized (out) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // stopping anyway
                }
            }
        }
    }
}
