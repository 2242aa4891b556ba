package com.aiw3.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReceiverTest {

    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String OTHER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final long T0 = 1_796_000_000_000_000_000L;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aReceiverWritingToAFileAppendsEverySpanAsOneJsonLineAndReadsATraceBackAsATree(@TempDir Path work)
            throws Exception {
        Path file = work.resolve("traces.jsonl");
        try (TraceReceiver receiver = TraceReceiver.toFile(0, file)) {
            assertThat(post(receiver.endpoint(), upgradeTrace().toByteArray(), false))
                    .isEqualTo(200);
            assertThat(post(receiver.endpoint(), otherService().toByteArray(), true))
                    .isEqualTo(200);
            assertThat(receiver.spans()).isEmpty();
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines)
                .hasSize(5)
                .allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        assertThat(lines.get(1))
                .contains("\"traceId\":\"" + TRACE + "\"")
                .contains("\"service\":\"upgrade-service\"")
                .contains("\"kind\":\"SERVER\"")
                .contains("\"durationMicros\":20000")
                .contains("\"start\":\"2026-11-30T");

        List<TraceReceiver.Span> trace = TraceReceiver.read(file, TRACE);
        assertThat(trace)
                .extracting(TraceReceiver.Span::service)
                .containsExactly("api-gateway", "upgrade-service", "upgrade-service", "sse-gateway");
        TraceReceiver.Span relay = trace.get(2);
        assertThat(relay.attribute("aiw3.event.type")).isEqualTo("UpgradeInitiated");
        assertThat(relay.linkedTraceIds()).containsExactly(OTHER_TRACE);
        assertThat(relay.duration()).isEqualTo(Duration.ofMillis(3));
        assertThat(TraceReceiver.tree(trace)).isEqualTo("""
                        api-gateway: http post (SERVER) http://127.0.0.1:8081/api/v1/nft/upgrade, 40.0 ms
                          upgrade-service: http post /api/v1/nft/upgrade (SERVER), 20.0 ms
                            upgrade-service: outbox relay (INTERNAL) UpgradeInitiated, 3.0 ms
                              sse-gateway: sse deliver (CONSUMER) UpgradeInitiated, 1.5 ms
                        """);
        assertThat(TraceReceiver.read(file, OTHER_TRACE)).singleElement().satisfies(span -> {
            assertThat(span.service()).isEqualTo("notification-service");
            assertThat(span.isRoot()).isTrue();
        });
    }

    @Test
    void aReceiverInMemoryKeepsTheSpansAndRefusesWhatIsNotProtobuf() throws Exception {
        try (TraceReceiver receiver = TraceReceiver.start(0)) {
            assertThat(post(receiver.endpoint(), upgradeTrace().toByteArray(), true))
                    .isEqualTo(200);
            HttpResponse<Void> json = HTTP.send(
                    HttpRequest.newBuilder(URI.create(receiver.endpoint()))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());

            assertThat(json.statusCode()).isEqualTo(415);
            assertThat(receiver.trace(TRACE)).hasSize(4);
            assertThat(receiver.spans()).hasSize(4);
        }
    }

    /** api-gateway's POST, upgrade-service's server span and outbox relay, sse-gateway's delivery. */
    static ExportTraceServiceRequest upgradeTrace() {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource(
                        "api-gateway",
                        span("a1", "", "http post", Span.SpanKind.SPAN_KIND_SERVER, 0, 40)
                                .addAttributes(attribute("http.url", "http://127.0.0.1:8081/api/v1/nft/upgrade"))))
                .addResourceSpans(resource(
                        "upgrade-service",
                        span("b1", "a1", "http post /api/v1/nft/upgrade", Span.SpanKind.SPAN_KIND_SERVER, 5, 25),
                        span("b2", "b1", "outbox relay", Span.SpanKind.SPAN_KIND_INTERNAL, 30, 33)
                                .addAttributes(attribute("aiw3.event.type", "UpgradeInitiated"))
                                .addLinks(Span.Link.newBuilder()
                                        .setTraceId(bytes(OTHER_TRACE))
                                        .setSpanId(bytes("00000000000000c1")))))
                .addResourceSpans(resource(
                        "sse-gateway",
                        span("c1", "b2", "sse deliver", Span.SpanKind.SPAN_KIND_CONSUMER, 34, 35.5)
                                .addAttributes(attribute("aiw3.event.type", "UpgradeInitiated"))))
                .build();
    }

    private static ExportTraceServiceRequest otherService() {
        Span.Builder span = span("d1", "", "intake", Span.SpanKind.SPAN_KIND_CONSUMER, 50, 51)
                .setTraceId(bytes(OTHER_TRACE));
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("notification-service", span))
                .build();
    }

    private static ResourceSpans resource(String service, Span.Builder... spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (Span.Builder span : spans) {
            scope.addSpans(span);
        }
        return ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", service)))
                .addScopeSpans(scope)
                .build();
    }

    private static Span.Builder span(
            String id, String parent, String name, Span.SpanKind kind, double startMillis, double endMillis) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(bytes(TRACE))
                .setSpanId(bytes(spanId(id)))
                .setName(name)
                .setKind(kind)
                .setStartTimeUnixNano(T0 + (long) (startMillis * 1_000_000))
                .setEndTimeUnixNano(T0 + (long) (endMillis * 1_000_000));
        if (!parent.isEmpty()) {
            span.setParentSpanId(bytes(spanId(parent)));
        }
        return span;
    }

    static String spanId(String shortId) {
        return "00000000000000".substring(0, 16 - shortId.length()) + shortId;
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    private static int post(String endpoint, byte[] body, boolean gzip) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(endpoint)).header("Content-Type", "application/x-protobuf");
        if (gzip) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
                out.write(body);
            }
            body = zipped.toByteArray();
            request.header("Content-Encoding", "gzip");
        }
        return HTTP.send(
                        request.POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
