package com.aiw3.local;

import static com.aiw3.local.TraceReceiverTest.TRACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTracesTest {

    private static final String UPGRADE = "5f0c6f1e-3b7a-4c59-9a56-0d2b8e1f7a42";
    private static final String CONFIRM_TRACE = "c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5";

    @Test
    void aTraceIsPrintedAsATreeWithEveryServicesLogLinesOfItInTimeOrder(@TempDir Path work) throws Exception {
        write(work);

        String out = run(work, List.of(TRACE));

        assertThat(out)
                .startsWith("trace " + TRACE + ": 4 spans from api-gateway, upgrade-service, sse-gateway\n")
                .contains("""
                          api-gateway: http post (SERVER) http://127.0.0.1:8081/api/v1/nft/upgrade, 40.0 ms
                            upgrade-service: http post /api/v1/nft/upgrade (SERVER), 20.0 ms
                              upgrade-service: outbox relay (INTERNAL) UpgradeInitiated, 3.0 ms
                                sse-gateway: sse deliver (CONSUMER) UpgradeInitiated, 1.5 ms
                        """);
        String logs = out.substring(out.indexOf("log lines of trace"));
        assertThat(logs.lines().skip(1).toList())
                .containsExactly(
                        "  api-gateway          | " + GATEWAY_LINE,
                        "  upgrade-service      | " + OUTBOX_LINE,
                        "  upgrade-service      | " + RELAY_LINE,
                        "  notification-service | " + CONSUMER_LINE,
                        "  sse-gateway          | " + DELIVERY_LINE);
    }

    @Test
    void jsonLogLinesAreFoundAndOrderedByTheirTimestamp(@TempDir Path work) throws Exception {
        write(work);
        Files.writeString(
                work.resolve("logs/audit-service.log"),
                "{\"@timestamp\":\"2026-12-07T12:00:00.033Z\",\"log.level\":\"DEBUG\",\"traceId\":\"" + TRACE
                        + "\",\"message\":\"audited\"}\n");

        assertThat(LocalTraces.logLines(work.resolve("logs"), TRACE))
                .extracting(LocalTraces.LogLine::service)
                .containsExactly(
                        "api-gateway",
                        "upgrade-service",
                        "upgrade-service",
                        "audit-service",
                        "notification-service",
                        "sse-gateway");
    }

    @Test
    void anUpgradesTraceIsTheOneWithTheMostOfUpgradeServicesLinesNamingIt(@TempDir Path work) throws Exception {
        write(work);

        assertThat(LocalTraces.traceOfUpgrade(work, UPGRADE)).contains(TRACE);
        assertThat(run(work, List.of("--upgrade", UPGRADE)))
                .startsWith("upgrade " + UPGRADE + " is trace " + TRACE + "\ntrace " + TRACE + ": 4 spans");
    }

    @Test
    void withoutLogLinesNamingTheUpgradeItsTraceIsFoundAmongTheSpansAttributes(@TempDir Path work) throws Exception {
        write(work);
        Files.delete(work.resolve("logs/upgrade-service.log"));
        Files.writeString(
                work.resolve(LocalTraces.SPANS_FILE),
                TraceReceiver.toJson(new TraceReceiver.Span(
                                TRACE,
                                TraceReceiverTest.spanId("b9"),
                                TraceReceiverTest.spanId("b2"),
                                "upgrade-service",
                                "upgrade confirm-burn",
                                "INTERNAL",
                                0,
                                1_000,
                                java.util.Map.of("aiw3.upgrade.id", UPGRADE),
                                List.of(CONFIRM_TRACE)))
                        + "\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        assertThat(LocalTraces.traceOfUpgrade(work, UPGRADE)).contains(TRACE);
        assertThat(LocalTraces.traceOfUpgrade(work, "00000000-0000-0000-0000-000000000000"))
                .isEmpty();
    }

    @Test
    void aRunWithoutTracesSaysHowToStartOneWithThemAndStillListsTheLogLines(@TempDir Path work) throws Exception {
        write(work);
        Files.delete(work.resolve(LocalTraces.SPANS_FILE));

        String out = run(work, List.of(TRACE));

        assertThat(out)
                .startsWith("no spans: ")
                .contains("./run-local --traces")
                .contains("(5, in time order;");
        assertThat(run(work, List.of("not-a-trace-id"))).startsWith("usage: ./run-local trace");
    }

    private static String run(Path work, List<String> args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LocalTraces.run(args, work, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static final String NO_TRACE = "[" + " ".repeat(49) + "]";
    private static final String EVENT = "UpgradeInitiated 9d2f0c1e-1111-4c59-9a56-0d2b8e1f7a42";
    private static final String GATEWAY_LINE = "2026-12-07T12:00:00.010Z DEBUG 11 --- [api-gateway] [ctor-http-nio-3] "
            + NO_TRACE + " c.a.g.t.TraceContextHeaders : routing POST /api/v1/nft/upgrade in trace " + TRACE;
    private static final String OUTBOX_LINE =
            "2026-12-07T12:00:00.020Z DEBUG 12 --- [upgrade-service] [omcat-handler-0] ["
                    + TRACE + "-00000000000000b1] c.a.m.outbox.OutboxEventPublisher : " + EVENT + " (upgrade " + UPGRADE
                    + ") written to the outbox for nft-upgrade-events";
    private static final String RELAY_LINE =
            "2026-12-07T12:00:00.031Z DEBUG 12 --- [upgrade-service] [   outbox-relay] [" + TRACE
                    + "-00000000000000b2] c.a.m.outbox.OutboxRelay : relaying " + EVENT + " to nft-upgrade-events";
    private static final String CONFIRM_LINE =
            "2026-12-07T12:05:00.000Z DEBUG 12 --- [upgrade-service] [omcat-handler-1] ["
                    + CONFIRM_TRACE + "-00000000000000f1] c.a.m.outbox.OutboxEventPublisher : BurnConfirmed"
                    + " 7a7a0c1e-1111-4c59-9a56-0d2b8e1f7a42 (upgrade " + UPGRADE
                    + ") written to the outbox for nft-upgrade-events";
    private static final String CONSUMER_LINE =
            "2026-12-07T12:00:00.035Z DEBUG 14 --- [notification-service] [ntainer#0-0-C-1] "
                    + NO_TRACE + " c.a.m.kafka.StallTrackingInterceptors : consuming " + EVENT + " (upgrade " + UPGRADE
                    + ") from nft-upgrade-events-0@7 in trace " + TRACE;
    private static final String DELIVERY_LINE =
            "2026-12-07T12:00:00.036Z DEBUG 13 --- [sse-gateway] [     kafka-feed] ["
                    + TRACE + "-00000000000000c1] c.a.sse.feed.KafkaFeed : " + EVENT + " (upgrade " + UPGRADE
                    + ") handed over to 1 streams";

    /** The spans file of TraceReceiverTest's trace, and the services' console logs, a line of another trace among them. */
    private static void write(Path work) throws Exception {
        Path logs = Files.createDirectories(work.resolve("logs"));
        StringBuilder spans = new StringBuilder();
        TraceReceiver.decode(TraceReceiverTest.upgradeTrace())
                .forEach(s -> spans.append(TraceReceiver.toJson(s)).append('\n'));
        Files.writeString(work.resolve(LocalTraces.SPANS_FILE), spans);
        Files.writeString(
                logs.resolve("api-gateway.log"),
                "2026-12-07T11:59:59.000Z  INFO 11 --- [api-gateway] [           main] " + NO_TRACE
                        + " o.s.b.SpringApplication : Started\n" + GATEWAY_LINE + "\n");
        Files.writeString(
                logs.resolve("upgrade-service.log"), OUTBOX_LINE + "\n" + RELAY_LINE + "\n" + CONFIRM_LINE + "\n");
        Files.writeString(logs.resolve("sse-gateway.log"), DELIVERY_LINE + "\n");
        Files.writeString(logs.resolve("notification-service.log"), CONSUMER_LINE + "\n");
    }
}
