package com.aiw3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.testing.ServiceProbes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * At most {@code max-streams-per-user} (3) streams per user across every instance, through the real Redis: the
 * oldest is ended with a last {@code stream_evicted} event wherever it is. Without Redis the limit holds per instance.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=2",
            "aiw3.sse.instance-id=sse-a"
        })
@EmbeddedKafka(partitions = 2)
class ClusterStreamLimitIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void aUsersFourthStreamOnAnotherInstanceEvictsTheOldestOnThisOneWithAFinalEvent() {
        String user = "dana-" + UUID.randomUUID();
        List<SseClient> onA = new ArrayList<>();
        try (ConfigurableApplicationContext b = instance("sse-b", 6379)) {
            int portOfB = portOf(b);
            for (int i = 0; i < 3; i++) {
                onA.add(opened(port, user));
            }
            SseClient onB = opened(portOfB, user);

            SseClient oldest = onA.getFirst();
            await().atMost(Duration.ofSeconds(10)).until(oldest::ended);
            assertThat(oldest.data().getLast())
                    .contains("\"type\":\"stream_evicted\"")
                    .contains("\"reason\":\"too_many_streams\"");
            assertThat(oldest.received().getLast().id())
                    .as("no id: the Last-Event-ID stays")
                    .isNull();
            assertThat(onA.subList(1, 3)).noneMatch(SseClient::ended);
            assertThat(onB.ended()).isFalse();

            // And back: a fifth on this instance evicts the next oldest, the second stream here.
            SseClient fifth = opened(port, user);
            await().atMost(Duration.ofSeconds(10)).until(() -> onA.get(1).ended());
            assertThat(onA.get(1).data().getLast()).contains("\"type\":\"stream_evicted\"");
            assertThat(List.of(onA.get(2), onB, fifth)).noneMatch(SseClient::ended);
            onB.connection().dispose();
            fifth.connection().dispose();
        } finally {
            onA.forEach(c -> c.connection().dispose());
        }
    }

    @Test
    void withRedisOutOfReachStreamsOpenAndTheLimitHoldsPerInstance() {
        String user = "erin-" + UUID.randomUUID();
        List<SseClient> clients = new ArrayList<>();
        try (ConfigurableApplicationContext alone = instance("sse-no-redis", 9)) {
            int portAlone = portOf(alone);
            for (int i = 0; i < 4; i++) {
                clients.add(opened(portAlone, user));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> clients.getFirst().ended());
            assertThat(clients.getFirst().data().getLast()).contains("\"type\":\"stream_evicted\"");
            assertThat(clients.subList(1, 4)).noneMatch(SseClient::ended);
        } finally {
            clients.forEach(c -> c.connection().dispose());
        }
    }

    /** Another sse-gateway instance on the same Kafka, with Redis on {@code redisPort}; ready when returned. */
    private ConfigurableApplicationContext instance(String id, int redisPort) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SseGatewayApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--aiw3.messaging.topics.max-partitions=2",
                        "--spring.data.redis.port=" + redisPort,
                        "--aiw3.sse.instance-id=" + id);
        int port = portOf(context);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(ServiceProbes.get(port, "/actuator/health/readiness"))
                        .contains("UP"));
        return context;
    }

    private static int portOf(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static SseClient opened(int port, String user) {
        SseClient client = SseClient.connect(port, user, "/api/events/stream", null);
        await().atMost(Duration.ofSeconds(10)).until(client::connected);
        return client;
    }
}
