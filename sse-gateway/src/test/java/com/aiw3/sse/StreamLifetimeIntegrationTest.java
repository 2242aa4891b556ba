package com.aiw3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.testing.ServiceProbes;
import com.aiw3.testing.TestIdentities;
import com.aiw3.web.IdentityHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Streams end on purpose, with a {@code reconnect} event and a {@code retry:} hint: after their maximum
 * lifetime, and on shutdown, spread over the drain window. A client resuming with its Last-Event-ID loses
 * nothing. Short times here stand for the defaults (15 minutes less up to 5, a 10 s drain).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1",
            "aiw3.sse.max-lifetime=3s",
            "aiw3.sse.lifetime-jitter=1s"
        })
@EmbeddedKafka(partitions = 1)
class StreamLifetimeIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    private static Timer duration(MeterRegistry meters, String outcome) {
        return meters.get("aiw3.sse.stream.duration").tag("outcome", outcome).timer();
    }

    private static SseClient connect(int port, String user, @Nullable String lastEventId) {
        SseClient client = SseClient.connect(port, user, "/api/events/stream", lastEventId);
        await().atMost(Duration.ofSeconds(10)).until(client::connected);
        return client;
    }

    private void alert(String user, String text) {
        EventEnvelope<?> event = EventEnvelope.of(
                new UserEvent.PriceAlertTriggered(user, text, "SOL", new BigDecimal("180.00")), "trading");
        kafka.send(event.topic().name(), event.key(), event);
        kafka.flush();
    }

    @Test
    void aStreamEndsAfterItsLifetimeWithAReconnectEventAndItsResumeLosesNothing() {
        String henry = "henry-" + UUID.randomUUID();
        long endedAtLifetime = duration(meters, "max_lifetime").count();
        long opened = System.nanoTime();
        SseClient first = connect(port, henry, null);
        alert(henry, "before the end");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.alerts().size() == 1);

        await().atMost(Duration.ofSeconds(10)).until(first::ended);
        assertThat(Duration.ofNanos(first.endedAt().get() - opened))
                .as("lived between the maximum less the jitter and the maximum, plus a tick")
                .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));
        ServerSentEvent<String> parting = first.last();
        assertThat(parting.data()).contains("\"type\":\"reconnect\"", "\"reason\":\"max_lifetime\"");
        assertThat(parting.retry()).isEqualTo(Duration.ofSeconds(3));
        assertThat(parting.id())
                .as("the parting event leaves the client's Last-Event-ID as it was")
                .isNull();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> duration(meters, "max_lifetime").count() > endedAtLifetime);

        alert(henry, "between the streams");
        SseClient second = connect(port, henry, first.lastId());
        await().atMost(Duration.ofSeconds(10)).until(() -> !second.alerts().isEmpty());
        assertThat(String.join("\n", second.alerts()))
                .contains("between the streams")
                .doesNotContain("before the end");
        second.connection().dispose();
    }

    @Test
    void onShutdownStreamsEndSpreadOverTheDrainWindowAndNewOnesAreRefused() throws Exception {
        ConfigurableApplicationContext draining = new SpringApplicationBuilder(SseGatewayApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--aiw3.messaging.topics.max-partitions=1",
                        "--aiw3.sse.instance-id=sse-draining",
                        "--aiw3.sse.drain-window=4s");
        int drainingPort = Integer.parseInt(draining.getEnvironment().getProperty("local.server.port"));
        Timer drained = duration(draining.getBean(MeterRegistry.class), "drained");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(ServiceProbes.get(drainingPort, "/actuator/health/readiness"))
                        .contains("UP"));
        List<SseClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(connect(drainingPort, "ivy-" + i + "-" + UUID.randomUUID(), null));
        }

        CompletableFuture<Void> closed = CompletableFuture.runAsync(draining::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.stream().anyMatch(SseClient::ended));
        assertThat(closed).isNotDone();
        assertThat(WebClient.create("http://127.0.0.1:" + drainingPort)
                        .get()
                        .uri("/api/events/stream")
                        .header(
                                IdentityHeaders.IDENTITY,
                                TestIdentities.identityOf("late-" + UUID.randomUUID(), "user"))
                        .retrieve()
                        .toBodilessEntity()
                        .onErrorResume(
                                WebClientResponseException.class,
                                e -> reactor.core.publisher.Mono.just(
                                        org.springframework.http.ResponseEntity.status(e.getStatusCode())
                                                .build()))
                        .block(Duration.ofSeconds(5))
                        .getStatusCode()
                        .value())
                .as("a new stream on a draining instance")
                .isEqualTo(503);

        await().atMost(Duration.ofSeconds(20)).until(() -> clients.stream().allMatch(SseClient::ended));
        closed.get();
        assertThat(clients).allSatisfy(client -> {
            assertThat(client.endedAt().get()).as("ended cleanly").isPositive();
            assertThat(client.last().data()).contains("\"type\":\"reconnect\"", "\"reason\":\"draining\"");
            assertThat(client.last().retry()).isEqualTo(Duration.ofSeconds(3));
        });
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(drained.count())
                        .as("each drained stream timed as drained")
                        .isEqualTo(8));
        List<Long> ends = clients.stream().map(c -> c.endedAt().get()).sorted().toList();
        assertThat(Duration.ofNanos(ends.getLast() - ends.getFirst()))
                .as("the ends are spread over the 4 s window (7/8 of it between the first and the last)")
                .isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(5));
    }
}
