package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.local.TraceReceiver;
import com.aiw3.local.TraceReceiver.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One upgrade request followed by its trace, as the services export it over OTLP to the platform's in-test
 * receiver ({@link TraceReceiver}): the request through api-gateway, upgrade-service, its outbox and Kafka to
 * every consumer of the upgrade's first event, and on to the completion the upgrade's later steps publish
 * (ADR 0036).
 */
class TracingIntegrationTest {

    private static final String UPGRADE_EVENTS = "nft-upgrade-events";

    private final Platform platform = Platform.get();

    @Test
    void anUpgradeRequestIsOneTraceFromTheGatewayThroughTheOutboxAndKafkaToTheStreamGatewayAndNotificationService()
            throws Exception {
        User alice = Journeys.holder(platform, "trace");
        User operator = User.operator(platform);

        try (EventStream stream = EventStream.open(platform, alice)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !stream.ofType("connection_established").isEmpty());
            JsonNode upgrade = alice.requestUpgrade();
            String upgradeId = upgrade.path("upgradeId").asString();

            // The upgrade's first event, by its id: the trace is the one its outbox relay continued.
            String eventId = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> Journeys.auditRecords(operator, upgradeId).stream()
                                    .filter(r -> r.path("type").asString().equals("UpgradeInitiated"))
                                    .map(r -> r.path("eventId").asString())
                                    .findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
            TraceReceiver traces = platform.traces();
            Span relay = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> traces.spans().stream()
                                    .filter(named("upgrade-service", "outbox relay"))
                                    .filter(s -> s.attribute("aiw3.event.id").equals(eventId))
                                    .findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
            String traceId = relay.traceId();

            // Every hop's spans arrive within the services' export delay of their end; a parent ends (and is
            // exported) after its children, so the trace is complete once every span's parent has arrived.
            List<Span> trace = await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> traces.trace(traceId),
                            spans -> spans.stream()
                                                    .filter(named("sse-gateway", "sse deliver")
                                                            .and(about(eventId)))
                                                    .count()
                                            == Platform.SSE_GATEWAYS.size()
                                    && has(
                                            spans,
                                            inService("notification-service")
                                                    .and(kind("CONSUMER"))
                                                    .and(grandchildOf(relay, spans)))
                                    && has(spans, inService("api-gateway").and(kind("SERVER")))
                                    && has(spans, inService("upgrade-service").and(kind("SERVER")))
                                    && roots(spans).size() == 1);
            String tree = TraceReceiver.tree(trace);
            System.out.printf(
                    "[system] trace %s of upgrade %s (POST /api/v1/nft/upgrade):%n%s", traceId, upgradeId, tree);
            Path out = Path.of("target/tracing");
            Files.createDirectories(out);
            Files.writeString(out.resolve("upgrade-trace.txt"), "trace " + traceId + "\n" + tree);
            Files.writeString(
                    out.resolve("upgrade-trace-spans.txt"),
                    trace.stream()
                            .map(s -> s.spanId() + " <- " + s.parentSpanId() + " " + s + " " + s.attributes())
                            .collect(Collectors.joining("\n", "", "\n")));

            // One root: api-gateway's server span of the POST.
            Set<String> ids = trace.stream().map(Span::spanId).collect(Collectors.toSet());
            List<Span> roots = roots(trace);
            assertThat(roots).as(tree).singleElement().satisfies(root -> {
                assertThat(root.isRoot()).isTrue();
                assertThat(root.service()).isEqualTo("api-gateway");
                assertThat(root.kind()).isEqualTo("SERVER");
                assertThat(root.attributes().values())
                        .contains("POST")
                        .anyMatch(v -> v.endsWith("/api/v1/nft/upgrade"));
            });
            Span gateway = roots.getFirst();

            // upgrade-service's server span continues the gateway's.
            Span service = only(trace, inService("upgrade-service").and(kind("SERVER")), tree);
            assertThat(service.parentSpanId()).isEqualTo(gateway.spanId());

            // The outbox relay, in another thread and transaction, continues the request that wrote the row ...
            assertThat(ancestors(trace, relay)).as(tree).contains(service);
            // ... and the send to Kafka is its child.
            Span send = only(
                    trace, inService("upgrade-service").and(kind("PRODUCER")).and(childOf(relay)), tree);
            assertThat(send.name()).contains(UPGRADE_EVENTS);

            // The consumers of the record continue the send: the feed of each sse-gateway instance (each reads every
            // record) and notification-service's intake.
            assertThat(trace)
                    .as(tree)
                    .filteredOn(named("sse-gateway", "sse deliver").and(about(eventId)))
                    .hasSize(Platform.SSE_GATEWAYS.size())
                    .allSatisfy(deliver -> {
                        assertThat(deliver.kind()).isEqualTo("CONSUMER");
                        assertThat(deliver.parentSpanId()).isEqualTo(send.spanId());
                    });
            Span intake = only(
                    trace,
                    inService("notification-service").and(kind("CONSUMER")).and(childOf(send)),
                    tree);
            assertThat(intake.name()).contains(UPGRADE_EVENTS);

            assertThat(trace)
                    .extracting(Span::service)
                    .contains("api-gateway", "upgrade-service", "sse-gateway", "notification-service");
            // One tree: every span's parent is in the trace, but the root's.
            assertThat(trace)
                    .as(tree)
                    .filteredOn(s -> s != gateway)
                    .allSatisfy(s -> assertThat(ids).contains(s.parentSpanId()));
        }
    }

    @Test
    void theStepsAfterTheBurnContinueTheUpgradeRequestsTraceUpToTheCompletionsDeliveryAndNotification()
            throws Exception {
        User bob = Journeys.holder(platform, "trace-steps");
        User operator = User.operator(platform);
        TraceReceiver traces = platform.traces();

        try (EventStream stream = EventStream.open(platform, bob)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !stream.ofType("connection_established").isEmpty());
            JsonNode upgrade = bob.requestUpgrade();
            String upgradeId = upgrade.path("upgradeId").asString();
            String signature = bob.signAndSendBurn(upgrade);
            User.Reply confirmed = bob.confirmBurn(upgradeId, signature);
            assertThat(confirmed.status() / 100).as(confirmed.toString()).isEqualTo(2);
            assertThat(Journeys.awaitTerminal(bob, upgradeId, Duration.ofSeconds(60)))
                    .isEqualTo("completed");

            List<JsonNode> records = await().atMost(Duration.ofSeconds(30))
                    .until(() -> Journeys.auditRecords(operator, upgradeId), r -> has(r, "UpgradeCompleted"));
            String initiated = eventId(records, "UpgradeInitiated");
            String completed = eventId(records, "UpgradeCompleted");

            // The POST's trace is the one the relay of the upgrade's first event continued.
            Span initiatedRelay = await().atMost(Duration.ofSeconds(30))
                    .until(() -> relayOf(traces, initiated), Optional::isPresent)
                    .orElseThrow();
            String traceId = initiatedRelay.traceId();

            List<Span> trace = await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> traces.trace(traceId),
                            spans -> has(
                                            spans,
                                            named("upgrade-service", "outbox relay")
                                                    .and(about(completed)))
                                    && spans.stream()
                                                    .filter(named("sse-gateway", "sse deliver")
                                                            .and(about(completed)))
                                                    .count()
                                            == Platform.SSE_GATEWAYS.size()
                                    && has(spans, named("upgrade-service", "upgrade confirm-burn"))
                                    && notifiedOf(spans, completed)
                                    && roots(spans).size() == 1);
            String tree = TraceReceiver.tree(trace);
            System.out.printf(
                    "[system] trace %s of upgrade %s from the POST to its completion:%n%s", traceId, upgradeId, tree);
            Path out = Path.of("target/tracing");
            Files.createDirectories(out);
            Files.writeString(out.resolve("upgrade-completion-trace.txt"), "trace " + traceId + "\n" + tree);

            // The completion's relay, its Kafka send, sse-gateway's delivery and notification-service's consumer
            // are all in the POST's trace.
            Span relay = only(trace, named("upgrade-service", "outbox relay").and(about(completed)), tree);
            Span send = only(
                    trace, inService("upgrade-service").and(kind("PRODUCER")).and(childOf(relay)), tree);
            assertThat(send.name()).contains(UPGRADE_EVENTS);
            // One delivery span per sse-gateway instance: each reads every record.
            assertThat(trace)
                    .as(tree)
                    .filteredOn(named("sse-gateway", "sse deliver").and(about(completed)))
                    .hasSize(Platform.SSE_GATEWAYS.size())
                    .allSatisfy(deliver -> assertThat(deliver.parentSpanId()).isEqualTo(send.spanId()));
            Span notified = only(
                    trace,
                    inService("notification-service").and(kind("CONSUMER")).and(childOf(send)),
                    tree);
            assertThat(notified.name()).contains(UPGRADE_EVENTS);

            // The completion was written by a pipeline step, which continues the upgrade's trace ...
            assertThat(ancestors(trace, relay))
                    .as(tree)
                    .anySatisfy(step -> assertThat(step.name()).isEqualTo("upgrade step"));
            // ... as does the confirmed burn, which links to the confirm-burn request's own trace.
            Span confirm = only(trace, named("upgrade-service", "upgrade confirm-burn"), tree);
            assertThat(confirm.attribute("aiw3.upgrade.id")).isEqualTo(upgradeId);
            assertThat(confirm.linkedTraceIds()).singleElement().isNotEqualTo(traceId);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(
                                    traces.trace(confirm.linkedTraceIds().getFirst()))
                            .as("the confirm-burn request's trace")
                            .anySatisfy(s -> {
                                assertThat(s.service()).isEqualTo("api-gateway");
                                assertThat(s.kind()).isEqualTo("SERVER");
                            }));
            // Still one tree under the POST's server span.
            assertThat(roots(trace)).as(tree).singleElement().satisfies(root -> {
                assertThat(root.service()).isEqualTo("api-gateway");
                assertThat(root.attributes().values()).contains("POST");
            });
        }
    }

    /** Whether notification-service's consumer span of the event's Kafka send is among the spans. */
    private static boolean notifiedOf(List<Span> spans, String eventId) {
        return spans.stream()
                .filter(named("upgrade-service", "outbox relay").and(about(eventId)))
                .flatMap(relay -> spans.stream().filter(kind("PRODUCER").and(childOf(relay))))
                .anyMatch(send -> has(
                        spans,
                        inService("notification-service").and(kind("CONSUMER")).and(childOf(send))));
    }

    private static Optional<Span> relayOf(TraceReceiver traces, String eventId) {
        return traces.spans().stream()
                .filter(named("upgrade-service", "outbox relay"))
                .filter(about(eventId))
                .findFirst();
    }

    private static boolean has(List<JsonNode> records, String type) {
        return records.stream().anyMatch(r -> r.path("type").asString().equals(type));
    }

    private static String eventId(List<JsonNode> records, String type) {
        return records.stream()
                .filter(r -> r.path("type").asString().equals(type))
                .map(r -> r.path("eventId").asString())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + records));
    }

    /** The spans whose parent is not in the trace. */
    private static List<Span> roots(List<Span> trace) {
        Set<String> ids = trace.stream().map(Span::spanId).collect(Collectors.toSet());
        return trace.stream().filter(s -> !ids.contains(s.parentSpanId())).toList();
    }

    private static boolean has(List<Span> trace, Predicate<Span> wanted) {
        return trace.stream().anyMatch(wanted);
    }

    private static Span only(List<Span> trace, Predicate<Span> wanted, String tree) {
        List<Span> found = trace.stream().filter(wanted).toList();
        assertThat(found).as(tree).hasSize(1);
        return found.getFirst();
    }

    /** The chain of parents of a span within the trace, nearest first. */
    private static List<Span> ancestors(List<Span> trace, Span span) {
        List<Span> chain = new java.util.ArrayList<>();
        String parent = span.parentSpanId();
        while (!parent.isEmpty()) {
            String id = parent;
            Optional<Span> next =
                    trace.stream().filter(s -> s.spanId().equals(id)).findFirst();
            if (next.isEmpty()) {
                break;
            }
            chain.add(next.get());
            parent = next.get().parentSpanId();
        }
        return chain;
    }

    private static Predicate<Span> inService(String service) {
        return span -> span.service().equals(service);
    }

    private static Predicate<Span> named(String service, String name) {
        return span -> span.service().equals(service) && span.name().equals(name);
    }

    private static Predicate<Span> kind(String kind) {
        return span -> span.kind().equals(kind);
    }

    private static Predicate<Span> about(String eventId) {
        return span -> span.attribute("aiw3.event.id").equals(eventId);
    }

    /** A span whose parent is a child of {@code grandparent}, among {@code trace}. */
    private static Predicate<Span> grandchildOf(Span grandparent, List<Span> trace) {
        return span -> trace.stream()
                .anyMatch(parent -> parent.spanId().equals(span.parentSpanId())
                        && parent.parentSpanId().equals(grandparent.spanId()));
    }

    private static Predicate<Span> childOf(Span parent) {
        return span -> span.parentSpanId().equals(parent.spanId());
    }
}
