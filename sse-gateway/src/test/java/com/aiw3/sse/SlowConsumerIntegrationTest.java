package com.aiw3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.testing.ServiceProbes;
import com.aiw3.testing.TestIdentities;
import com.aiw3.web.IdentityHeaders;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/**
 * A client that stops reading must cost only itself: the others keep receiving every event, and the slow
 * one is cut once its backlog passes {@code buffer-per-stream} (it would reconnect and resume).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1",
            "aiw3.sse.buffer-per-stream=64"
        })
@EmbeddedKafka(partitions = 1)
class SlowConsumerIntegrationTest {

    private static final int EVENTS = 1_200;

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Test
    void aClientThatStopsReadingIsCutWhileTheOthersReceiveEverything() throws Exception {
        List<String> fast = new CopyOnWriteArrayList<>();
        Disposable reader = WebClient.create("http://127.0.0.1:" + port)
                .get()
                .uri("/api/events/stream")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .header(IdentityHeaders.IDENTITY, TestIdentities.identityOf("fast-reader", "user"))
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
                .subscribe(event -> {
                    if (event.data() != null && event.data().contains("slow-test")) {
                        fast.add(event.data());
                    }
                });
        try (Socket slow = new Socket()) {
            // A small receive window, and the test never reads: the server's writes back up once the
            // kernel's send buffer (up to 4 MB here) and the connection's own write queue are full.
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = slow.getOutputStream();
            out.write(("GET /api/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                            + IdentityHeaders.IDENTITY + ": " + TestIdentities.identityOf("slow-reader", "user")
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ServiceProbes.get(port, "/events/stats").contains("\"activeStreams\":2"));

            String big = "slow-test " + "x".repeat(8_000);
            for (int i = 0; i < EVENTS; i++) {
                EventEnvelope<?> event = EventEnvelope.of(
                        new BroadcastEvent.FeatureAnnounced(EventIds.next(), big + " #" + i, List.of()), "ops");
                kafka.send(event.topic().name(), event.key(), event);
            }
            kafka.flush();

            await().atMost(Duration.ofSeconds(60)).until(() -> fast.size() == EVENTS);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(ServiceProbes.get(port, "/actuator/prometheus"))
                            .containsPattern("aiw3_sse_streams_overflows_total\\S* [1-9]")
                            .containsPattern("aiw3_sse_stream_duration_seconds_count\\{"
                                    + "(?=[^}]*outcome=\"overflowed\")[^}]*} [1-9]"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ServiceProbes.get(port, "/events/stats").contains("\"activeStreams\":1"));
        } finally {
            reader.dispose();
        }
        assertThat(fast).hasSize(EVENTS).last().asString().contains("#" + (EVENTS - 1));
    }
}
