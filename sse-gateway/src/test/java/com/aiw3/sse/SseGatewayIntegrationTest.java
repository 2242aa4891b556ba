package com.aiw3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.events.presence.DeliveryEvent;
import com.aiw3.events.presence.PresenceEvent;
import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.serde.EventDeserializer;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.testing.ServiceProbes;
import com.aiw3.testing.TestIdentities;
import com.aiw3.web.IdentityHeaders;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=2",
            "aiw3.sse.heartbeat=1s"
        })
@EmbeddedKafka(partitions = 2)
class SseGatewayIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    Tracer tracer;

    private void publish(EventEnvelope<?>... events) {
        for (EventEnvelope<?> event : events) {
            kafka.send(event.topic().name(), event.key(), event);
        }
        kafka.flush();
    }

    private static EventEnvelope<?> alert(String user, String text) {
        return EventEnvelope.of(
                new UserEvent.PriceAlertTriggered(user, text, "SOL", new BigDecimal("180.00")), "trading");
    }

    @Test
    void probesAndMetricsAnswer() {
        ServiceProbes.assertOperable(port);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ServiceProbes.get(port, "/actuator/prometheus"))
                        .contains("kafka_consumer_fetch_manager_records_lag_max", "aiw3_sse_streams_active"));
    }

    @Test
    void publishToDeliveryIsMeasuredPerEventTypeWithTheSloBucket() {
        String carol = "carol-" + UUID.randomUUID();
        SseClient client = SseClient.connect(port, carol, "/api/events/stream", null);
        await().until(() -> client.connected());

        publish(alert(carol, "measured"));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ServiceProbes.get(port, "/actuator/prometheus"))
                        .containsPattern("aiw3_sse_publish_to_delivery_seconds_bucket\\{"
                                + "(?=[^}]*type=\"PriceAlertTriggered\")(?=[^}]*le=\"1\\.0\")[^}]*} [1-9]"));
    }

    @Test
    void aUserReceivesTheirOwnEventsAndBroadcastsButNeverAnotherUsers() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        SseClient client = SseClient.connect(port, alice, "/api/events/stream", null);
        await().until(() -> client.connected());

        publish(
                alert(bob, "for bob"),
                alert(alice, "for alice"),
                EventEnvelope.of(new BroadcastEvent.FeatureAnnounced(EventIds.next(), "New pairs", List.of()), "ops"));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> String.join("\n", client.data()).contains("for alice")
                        && String.join("\n", client.data()).contains("\"message\":\"New pairs\""));
        assertThat(String.join("\n", client.data()))
                .contains("\"type\":\"price_alert\"", "\"message\":\"for alice\"", "\"type\":\"feature_announcement\"")
                .doesNotContain("for bob");
        assertThat(client.received().stream()
                        .filter(e -> e.data() != null && e.data().contains("for alice")))
                .allSatisfy(e -> assertThat(e.id()).isNotBlank());
        client.connection().dispose();
    }

    @Test
    void resumingWithLastEventIdSendsExactlyWhatWasMissed() {
        String carol = "carol-" + UUID.randomUUID();
        SseClient first = SseClient.connect(port, carol, "/api/events/stream", null);
        await().until(() -> first.connected());
        publish(alert(carol, "one"), alert(carol, "two"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(first.events()).hasSize(2));
        String lastId = first.lastId();
        first.connection().dispose();

        publish(alert(carol, "three"), alert(carol, "four"));
        // A gateway that started after everything was published rebuilds the window from Kafka.
        var second = new SpringApplicationBuilder(SseGatewayApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--aiw3.messaging.topics.max-partitions=2",
                        "--aiw3.sse.instance-id=sse-second");
        try {
            int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(ServiceProbes.get(secondPort, "/actuator/health/readiness"))
                            .contains("UP"));
            SseClient resumed = SseClient.connect(secondPort, carol, "/api/events/stream", lastId);
            await().atMost(Duration.ofSeconds(20)).until(() -> resumed.events().size() >= 2);

            List<String> messages = resumed.data().stream()
                    .filter(d -> d.contains("price_alert"))
                    .map(d -> d.replaceAll(".*\"message\":\"([^\"]*)\".*", "$1"))
                    .toList();
            assertThat(messages).containsExactly("three", "four");
            resumed.connection().dispose();
        } finally {
            second.close();
        }
    }

    @Test
    void aResumeArrivingBeforeTheInstanceHasReadTheWindowWaitsForItAndIsRefusedWith503IfItNeverCatchesUp() {
        // An instance whose broker is unreachable never replays the window: a resume must not be served from
        // the empty history (it would repeat everything after the client's last event once the events arrive).
        var unreplayed = new SpringApplicationBuilder(SseGatewayApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=127.0.0.1:9",
                        "--aiw3.sse.replay-wait=1s",
                        "--aiw3.sse.instance-id=sse-unreplayed");
        try {
            int unreplayedPort = Integer.parseInt(unreplayed.getEnvironment().getProperty("local.server.port"));
            long started = System.nanoTime();
            var response = WebClient.create("http://127.0.0.1:" + unreplayedPort)
                    .get()
                    .uri("/api/events/stream")
                    .headers(h -> {
                        h.set(
                                IdentityHeaders.IDENTITY,
                                TestIdentities.identityOf("henry-" + UUID.randomUUID(), "user"));
                        h.set("Last-Event-ID", UUID.randomUUID() + ".-");
                    })
                    .exchangeToMono(r ->
                            r.bodyToMono(String.class).defaultIfEmpty("").map(body -> java.util.Map.entry(r, body)))
                    .block(Duration.ofSeconds(20));

            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("waited for the replay")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(response.getKey().statusCode().value()).isEqualTo(503);
            assertThat(response.getKey().headers().contentType()).contains(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(response.getKey().headers().header("Retry-After")).containsExactly("3");
            assertThat(response.getValue()).contains("\"status\":503", "reconnect shortly");
        } finally {
            unreplayed.close();
        }
    }

    @Test
    void aNewEventSourceResumesWithTheLastEventIdQueryParameter() {
        String erin = "erin-" + UUID.randomUUID();
        SseClient first = SseClient.connect(port, erin, "/api/events/stream", null);
        await().until(() -> first.connected());
        publish(alert(erin, "seen"));
        await().atMost(Duration.ofSeconds(20)).until(() -> first.events().size() == 1);
        String lastId = first.lastId();
        first.connection().dispose();
        publish(alert(erin, "missed"));

        SseClient resumed = SseClient.connect(port, erin, "/api/events/stream?lastEventId=" + lastId, null);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> String.join("\n", resumed.data()).contains("missed"));
        assertThat(String.join("\n", resumed.data())).doesNotContain("\"message\":\"seen\"");
        resumed.connection().dispose();
    }

    @Test
    void anUpgradeStreamStartsAtTheCurrentStateAndEndsAfterATerminalOne() {
        String dave = "dave-" + UUID.randomUUID();
        UUID upgrade = UUID.randomUUID();
        publish(
                EventEnvelope.of(new UpgradeEvent.UpgradeInitiated(upgrade, dave, "w", "m", 1, 2), "upgrade-service"),
                EventEnvelope.of(new UpgradeEvent.QualificationVerified(upgrade, dave, 2), "upgrade-service"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !ServiceProbes.get(port, "/events/stats").isEmpty());

        SseClient client = SseClient.connect(port, dave, "/api/v1/nft/upgrade/" + upgrade + "/events", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.data().size() == 2);
        publish(
                EventEnvelope.of(
                        new UpgradeEvent.BurnFailed(upgrade, dave, "no burn within 5 minutes"), "upgrade-service"),
                alert(dave, "not part of the upgrade stream"));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.connection().isDisposed() || client.data().size() == 3);
        assertThat(client.data().get(1)).contains("\"status\":\"qualification_verified\"", "\"progress\":10");
        assertThat(String.join("\n", client.data()))
                .doesNotContain("\"status\":\"initializing\"")
                .doesNotContain("not part");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.data().size() == 3);
        assertThat(client.data().get(2)).contains("\"status\":\"burn_failed\"", "\"progress\":20");

        var stranger = WebClient.create("http://127.0.0.1:" + port)
                .get()
                .uri("/api/v1/nft/upgrade/" + upgrade + "/events")
                .header(IdentityHeaders.IDENTITY, TestIdentities.identityOf("eve", "user"))
                .retrieve()
                .bodyToMono(String.class);
        try {
            stranger.block(Duration.ofSeconds(15));
            throw new AssertionError("another user's upgrade must not be found");
        } catch (WebClientResponseException e) {
            assertThat(e.getStatusCode().value()).isEqualTo(404);
        }
    }

    @Test
    void aBadgeActivationStreamStartsAtTheCurrentStepAndEndsAfterActivated() {
        String fay = "fay-" + UUID.randomUUID();
        UUID activation = UUID.randomUUID();
        publish(
                EventEnvelope.of(
                        new UserEvent.BadgeActivationRequested(fay, "Activating", activation, "first-trade", "First"),
                        "upgrade-service"),
                EventEnvelope.of(
                        new UserEvent.BadgeActivationVerified(fay, "Verified", activation, "first-trade", "First"),
                        "upgrade-service"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !ServiceProbes.get(port, "/events/stats").isEmpty());

        SseClient client = SseClient.connect(port, fay, "/api/v1/badges/activations/" + activation + "/events", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.data().size() == 2);
        publish(
                alert(fay, "not part of the activation stream"),
                EventEnvelope.of(
                        new UserEvent.TierProgressRecomputed(
                                fay,
                                "With First activated you meet 2 of 2 requirements for Quant Ape.",
                                activation,
                                "first-trade",
                                2,
                                "Quant Ape",
                                List.of(new UpgradeEvent.Requirement("ACTIVATED_BADGES", "Activated badges", 2, 2)),
                                true),
                        "upgrade-service"),
                EventEnvelope.of(
                        new UserEvent.BadgeActivated(fay, "You activated First", "first-trade", "First", activation),
                        "upgrade-service"));

        await().atMost(Duration.ofSeconds(20)).until(() -> client.data().size() == 4);
        assertThat(client.data().get(1))
                .contains(
                        "\"type\":\"badge_activation_status\"",
                        "\"activationId\":\"" + activation + "\"",
                        "\"status\":\"badge_verified\"",
                        "\"progress\":40");
        assertThat(client.data().get(2)).contains("\"status\":\"progress_recomputed\"", "\"qualified\":true");
        assertThat(client.data().get(3))
                .contains("\"type\":\"badge_activated\"", "\"status\":\"activated\"", "\"progress\":100");
        assertThat(String.join("\n", client.data()))
                .doesNotContain("\"status\":\"requested\"")
                .doesNotContain("not part");
        await().atMost(Duration.ofSeconds(10))
                .alias("the stream ends after the terminal step")
                .until(() -> client.connection().isDisposed());

        var stranger = WebClient.create("http://127.0.0.1:" + port)
                .get()
                .uri("/api/v1/badges/activations/" + activation + "/events")
                .header(IdentityHeaders.IDENTITY, TestIdentities.identityOf("eve", "user"))
                .retrieve()
                .bodyToMono(String.class);
        try {
            stranger.block(Duration.ofSeconds(15));
            throw new AssertionError("another user's activation must not be found");
        } catch (WebClientResponseException e) {
            assertThat(e.getStatusCode().value()).isEqualTo(404);
        }
    }

    @Test
    void aClaimStreamStartsAtTheCurrentStateAndEndsWhenTheNftIsClaimed() {
        String fay = "fay-" + UUID.randomUUID();
        UUID claim = UUID.randomUUID();
        publish(
                EventEnvelope.of(new ClaimEvent.ClaimInitiated(claim, fay, "wallet", 1), "upgrade-service"),
                EventEnvelope.of(new ClaimEvent.ClaimQualificationVerified(claim, fay, 1), "upgrade-service"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !ServiceProbes.get(port, "/events/stats").isEmpty());

        SseClient client = SseClient.connect(port, fay, "/api/v1/nft/claims/" + claim + "/events", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.data().size() == 2);
        publish(
                EventEnvelope.of(new ClaimEvent.ClaimMetadataUploadStarted(claim, fay), "upgrade-service"),
                alert(fay, "not part of the claim stream"),
                EventEnvelope.of(
                        new ClaimEvent.NftClaimed(
                                claim,
                                fay,
                                "wallet",
                                new UpgradeEvent.MintedNft("mint", 1, "Tech Chicken", 1, "ipfs://cid", "sig")),
                        "upgrade-service"));

        await().atMost(Duration.ofSeconds(20)).until(() -> client.data().size() == 4);
        assertThat(client.data().get(1))
                .contains("\"type\":\"nft_claim_status\"", "\"status\":\"qualification_verified\"", "\"progress\":10")
                .contains("\"claimId\":\"" + claim + "\"");
        assertThat(client.data().get(2)).contains("\"status\":\"uploading_metadata\"", "\"progress\":30");
        assertThat(client.data().get(3)).contains("\"status\":\"completed\"", "\"progress\":100");
        assertThat(String.join("\n", client.data()))
                .doesNotContain("\"status\":\"initializing\"")
                .doesNotContain("not part");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.connection().isDisposed());

        var stranger = WebClient.create("http://127.0.0.1:" + port)
                .get()
                .uri("/api/v1/nft/claims/" + claim + "/events")
                .header(IdentityHeaders.IDENTITY, TestIdentities.identityOf("eve", "user"))
                .retrieve()
                .bodyToMono(String.class);
        try {
            stranger.block(Duration.ofSeconds(15));
            throw new AssertionError("another user's claim must not be found");
        } catch (WebClientResponseException e) {
            assertThat(e.getStatusCode().value()).isEqualTo(404);
        }
    }

    @Test
    void deliveriesAreConfirmedAndPresenceIsPublished() {
        String erin = "erin-" + UUID.randomUUID();
        SseClient client = SseClient.connect(port, erin, "/api/events/stream", null);
        await().until(() -> client.connected());
        EventEnvelope<?> event = alert(erin, "confirm me");
        publish(event);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.events().size() == 1);
        client.connection().dispose();

        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Object> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new EventDeserializer())) {
            consumer.subscribe(List.of(Topics.REALTIME_DELIVERY_OUTCOMES.name(), Topics.USER_PRESENCE.name()));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().equals(erin)) {
                        seen.add(r.value().payload());
                    }
                });
                return seen.stream().anyMatch(p -> p instanceof PresenceEvent.UserWentOffline);
            });
        }
        assertThat(seen).anySatisfy(p -> assertThat(p).isInstanceOf(PresenceEvent.UserCameOnline.class));
        assertThat(seen)
                .anySatisfy(p -> assertThat(p)
                        .isInstanceOfSatisfying(
                                DeliveryEvent.RealtimeEventDelivered.class,
                                d -> assertThat(d.deliveredEventId()).isEqualTo(event.eventId())));
    }

    @Test
    void theDeliveryConfirmationContinuesTheTraceOfTheEventItConfirms() {
        String frank = "frank-" + UUID.randomUUID();
        SseClient client = SseClient.connect(port, frank, "/api/events/stream", null);
        await().until(() -> client.connected());
        EventEnvelope<?> event = alert(frank, "trace me");
        Span producing = tracer.nextSpan().name("producing service").start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(producing)) {
            publish(event);
        } finally {
            producing.end();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> client.events().size() == 1);
        client.connection().dispose();

        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "trace-check-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> traceParents = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new EventDeserializer())) {
            consumer.subscribe(List.of(Topics.REALTIME_DELIVERY_OUTCOMES.name()));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value().payload() instanceof DeliveryEvent.RealtimeEventDelivered delivered
                            && delivered.deliveredEventId().equals(event.eventId())) {
                        Header header = r.headers().lastHeader("traceparent");
                        traceParents.add(header == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
                    }
                });
                return !traceParents.isEmpty();
            });
        }
        assertThat(traceParents.getFirst())
                .startsWith("00-" + producing.context().traceId() + "-");
    }

    @Test
    void aFourthStreamOfOneUserEndsTheOldestWithAFinalEvent() {
        String frank = "frank-" + UUID.randomUUID();
        List<SseClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SseClient client = SseClient.connect(port, frank, "/api/events/stream", null);
            await().until(() -> client.connected());
            clients.add(client);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> clients.getFirst().ended());
        assertThat(clients.getFirst().data().getLast()).contains("\"type\":\"stream_evicted\"");
        assertThat(clients.subList(1, 4)).noneMatch(SseClient::ended);
        clients.forEach(c -> c.connection().dispose());
    }

    @Test
    void anEvictedStreamEndsItsResponseAndItsConnectionServesTheNextRequest() throws Exception {
        String grace = "grace-" + UUID.randomUUID();
        try (Socket oldest = new Socket("127.0.0.1", port)) {
            oldest.setSoTimeout(10_000);
            OutputStream out = oldest.getOutputStream();
            InputStream in = oldest.getInputStream();
            out.write(("GET /api/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                            + IdentityHeaders.IDENTITY + ": " + TestIdentities.identityOf(grace, "user") + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readUntil(in, "connection_established")).startsWith("HTTP/1.1 200");

            List<SseClient> newer = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // Events keep arriving while the oldest is evicted: none may follow its response's end.
                publish(alert(grace, "during eviction " + i));
                newer.add(SseClient.connect(port, grace, "/api/events/stream", null));
            }
            // The last chunk, not a closed connection (readUntil fails on end of stream).
            readUntil(in, "\r\n0\r\n\r\n");

            // Kept alive: the same connection answers another request, with nothing left over in between.
            out.write("GET /events/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readUntil(in, "activeStreams")).startsWith("HTTP/1.1 200");
            newer.forEach(c -> c.connection().dispose());
        }
    }

    /** What the socket gives up to and including {@code marker} (the test's socket timeout bounds the wait). */
    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder read = new StringBuilder();
        while (read.indexOf(marker) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed before '" + marker + "': " + read);
            }
            read.append((char) b);
        }
        return read.toString();
    }

    /** A pod that reaches sse-gateway's port directly and names a user itself gets no stream of theirs. */
    @Test
    void streamsWithAnIdentityTheGatewayDidNotSignAreRefused() {
        String foreign = com.aiw3.web.IdentitySigner.fromJwk(
                        TestIdentities.foreignKeys().signingKey(), Duration.ofMinutes(5), java.time.Clock.systemUTC())
                .sign(
                        "victim",
                        null,
                        List.of("operator"),
                        java.time.Instant.now().plusSeconds(600),
                        "s")
                .value();
        for (String path : List.of("/api/events/stream", "/events/subscribe?all=true")) {
            for (java.util.function.Consumer<org.springframework.http.HttpHeaders> forged :
                    List.<java.util.function.Consumer<org.springframework.http.HttpHeaders>>of(
                            h -> {
                                h.set("X-AIW3-User-Id", "victim");
                                h.set("X-AIW3-Roles", "operator");
                            },
                            h -> h.set(IdentityHeaders.IDENTITY, foreign))) {
                int status = WebClient.create("http://127.0.0.1:" + port)
                        .get()
                        .uri(path)
                        .headers(forged)
                        .exchangeToMono(response -> reactor.core.publisher.Mono.just(
                                response.statusCode().value()))
                        .block(Duration.ofSeconds(10));
                assertThat(status).as(path).isEqualTo(401);
            }
        }
    }

    @Test
    void aStreamWithoutAnIdentityIsRefused() {
        try {
            WebClient.create("http://127.0.0.1:" + port)
                    .get()
                    .uri("/api/events/stream")
                    .retrieve()
                    .bodyToMono(String.class)
                    .block(Duration.ofSeconds(10));
            throw new AssertionError("expected 401");
        } catch (WebClientResponseException e) {
            assertThat(e.getStatusCode().value()).isEqualTo(401);
            assertThat(e.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(e.getResponseBodyAsString())
                    .contains("\"status\":401")
                    .contains("\"title\":\"Unauthorized\"")
                    .contains("\"instance\":\"/api/events/stream\"");
        }
    }

    private SseClient connectAs(String user, String roles, String path) {
        return SseClient.open(port, path, h -> {
            h.set(IdentityHeaders.IDENTITY, TestIdentities.identityOf(user, roles));
        });
    }

    private int status(String user, String roles, String path) {
        return WebClient.create("http://127.0.0.1:" + port)
                .get()
                .uri(path)
                .headers(h -> {
                    h.set(IdentityHeaders.IDENTITY, TestIdentities.identityOf(user, roles));
                })
                .exchangeToMono(response ->
                        reactor.core.publisher.Mono.just(response.statusCode().value()))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void aFilteredSubscriptionSendsOnlyTheChosenCategories() {
        String gina = "gina-" + UUID.randomUUID();
        SseClient client = connectAs(gina, "user", "/events/subscribe?streams=trading");
        await().until(() -> client.connected());

        publish(
                EventEnvelope.of(new UserEvent.ChatMessagePosted(gina, "hi", "room", "Al", "hi"), "chat"),
                alert(gina, "trading only"),
                EventEnvelope.of(
                        new BroadcastEvent.FeatureAnnounced(EventIds.next(), "system news", List.of()), "ops"));

        await().atMost(Duration.ofSeconds(20)).until(() -> client.data().size() == 2);
        assertThat(client.data().get(1)).contains("trading only");
        client.connection().dispose();
    }

    @Test
    void onlyOperatorsFollowOtherUsersOrEveryone() {
        assertThat(status("hank", "user", "/events/subscribe?users=ivy")).isEqualTo(403);
        assertThat(status("hank", "user", "/events/subscribe?all=true")).isEqualTo(403);
        assertThat(status("hank", "user", "/events/subscribe?streams=weather")).isEqualTo(400);

        String a = "a-" + UUID.randomUUID();
        String b = "b-" + UUID.randomUUID();
        SseClient operator = connectAs("ops", "user,operator", "/events/subscribe?all=true&streams=trading");
        await().until(() -> operator.connected());
        publish(alert(a, "from a"), alert(b, "from b"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> String.join("", operator.data()).contains("from a")
                        && String.join("", operator.data()).contains("from b"));
        operator.connection().dispose();
    }

    @Test
    void noUserEverReceivesAnotherUsersEventsOverRandomTraffic() {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        List<String> users = java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> "p" + i + "-" + UUID.randomUUID())
                .toList();
        Map<String, SseClient> clients = new java.util.HashMap<>();
        for (String user : users) {
            String path = random.nextBoolean() ? "/api/events/stream" : "/events/subscribe?streams=trading,social";
            clients.put(user, SseClient.connect(port, user, path, null));
        }
        await().until(() -> clients.values().stream().allMatch(c -> c.connected()));
        Map<String, Integer> sent = new java.util.HashMap<>();
        for (int i = 0; i < 120; i++) {
            String to = users.get(random.nextInt(users.size()));
            publish(alert(to, "to:" + to + ":" + i));
            sent.merge(to, 1, Integer::sum);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        users.stream().allMatch(u -> clients.get(u).events().size() == sent.getOrDefault(u, 0)));
        users.forEach(u -> assertThat(clients.get(u).events())
                .as("seed %d, user %s", seed, u)
                .allSatisfy(data -> assertThat(data).contains("to:" + u + ":")));
        clients.values().forEach(c -> c.connection().dispose());
    }

    @Test
    void aBurstOfBroadcastsReachesEveryStreamCompleteAndInOrder() {
        // Enough streams and events that the event loops fall behind and catch up again while the burst
        // lasts, so streams' drains run while the feed is still queueing behind them: a drain must not let the
        // feed hand its stream an event by another way while it runs, or events arrive out of order.
        String run = "burst-" + UUID.randomUUID();
        List<SseClient> clients = java.util.stream.IntStream.range(0, 120)
                .mapToObj(i -> SseClient.connect(port, run + "-" + i, "/api/events/stream", null))
                .toList();
        await().until(() -> clients.stream().allMatch(SseClient::connected));
        int events = 1_500;
        for (int i = 0; i < events; i++) {
            EventEnvelope<?> broadcast = EventEnvelope.of(
                    new BroadcastEvent.FeatureAnnounced(EventIds.next(), run + ":" + i, List.of()), "ops");
            kafka.send(broadcast.topic().name(), broadcast.key(), broadcast);
        }
        kafka.flush();
        List<Integer> all = java.util.stream.IntStream.range(0, events).boxed().toList();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> clients.forEach(c -> assertThat(sequence(c, run)).hasSize(events)));
        clients.forEach(
                c -> assertThat(sequence(c, run)).as("one stream's broadcasts").isEqualTo(all));
        clients.forEach(c -> c.connection().dispose());
    }

    /** The numbers of this run's broadcasts, in the order a stream received them. */
    private static List<Integer> sequence(SseClient client, String run) {
        java.util.regex.Pattern number =
                java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(run) + ":(\\d+)");
        return client.data().stream()
                .map(number::matcher)
                .filter(java.util.regex.Matcher::find)
                .map(m -> Integer.parseInt(m.group(1)))
                .toList();
    }

    @Test
    void streamsAnswerOverHttp2WithoutConnectionSpecificHeaders() {
        var response = reactor.netty.http.client.HttpClient.create()
                .protocol(reactor.netty.http.HttpProtocol.H2C)
                .headers(h -> h.add(IdentityHeaders.IDENTITY, TestIdentities.identityOf("h2-user", "user"))
                        .add("Accept", "text/event-stream"))
                .get()
                .uri("http://127.0.0.1:" + port + "/api/events/stream")
                .response((head, body) -> body.asString().take(1).map(first -> java.util.Map.entry(head, first)))
                .blockFirst(Duration.ofSeconds(10));

        assertThat(response.getKey().version().text()).isEqualTo("HTTP/2.0");
        assertThat(response.getKey().status().code()).isEqualTo(200);
        assertThat(response.getKey().responseHeaders().contains("connection")).isFalse();
        assertThat(response.getKey().responseHeaders().get("content-type")).startsWith("text/event-stream");
        assertThat(response.getValue()).contains("connection_established");
    }
}
