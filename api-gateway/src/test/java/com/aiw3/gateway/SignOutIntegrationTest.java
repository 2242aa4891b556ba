package com.aiw3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.serde.EventDeserializer;
import com.aiw3.events.session.SessionEvent;
import com.aiw3.events.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Signing out ({@code DELETE /api/v1/auth/session}) revokes the session in Redis until its token would have
 * expired: the token and the session cookie are refused with 401 problem+json on streams and REST routes,
 * on every gateway instance; the user's other sessions go on; {@code SessionRevoked} is published so
 * sse-gateway ends the session's open streams.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 1, topics = Topics.Names.SESSION_REVOCATIONS)
class SignOutIntegrationTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        Downstreams.start();
        ApiGatewayIntegrationTest.gatewayProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Test
    void aSignedOutSessionsTokenAndCookieAreRefusedOnEveryInstanceAndItsRevocationIsPublished() {
        String user = "leo-" + UUID.randomUUID();
        String session = "sid-" + UUID.randomUUID();
        String token = Tokens.ofSession(user, session);
        String otherSession = Tokens.ofSession(user, "sid-" + UUID.randomUUID());
        ConfigurableApplicationContext second = new SpringApplicationBuilder(ApiGatewayApplication.class)
                .run(java.util.stream.Stream.concat(
                                java.util.stream.Stream.of(
                                        "--server.port=0",
                                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString()),
                                ApiGatewayIntegrationTest.gatewayProperties().entrySet().stream()
                                        .map(e -> "--" + e.getKey() + "=" + e.getValue()))
                        .toArray(String[]::new));
        try (Consumer<String, EventEnvelope<EventPayload>> revocations = consumer()) {
            int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
            assertThat(stream(port, "Bearer " + token).statusCode()).isEqualTo(200);
            assertThat(stream(secondPort, "Bearer " + token).statusCode())
                    .as("the other instance has seen the token before the sign-out")
                    .isEqualTo(200);

            HttpResponse<String> signOut = call(request(port, "/api/v1/auth/session")
                    .header("Authorization", "Bearer " + token)
                    .DELETE());
            assertThat(signOut.statusCode()).isEqualTo(204);
            assertThat(signOut.headers().firstValue("Set-Cookie").orElseThrow())
                    .startsWith("aiw3_session=;")
                    .contains("Max-Age=0");

            assertRefused(stream(port, "Bearer " + token));
            assertRefused(call(
                    request(port, "/api/events/stream?events=1&every=10").header("Cookie", "aiw3_session=" + token)));
            assertRefused(call(request(port, "/api/v1/nft/tiers").header("Authorization", "Bearer " + token)));
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertRefused(stream(secondPort, "Bearer " + token)));
            assertThat(stream(port, "Bearer " + otherSession).statusCode())
                    .as("the user's other session")
                    .isEqualTo(200);
            assertThat(stream(secondPort, "Bearer " + otherSession).statusCode())
                    .isEqualTo(200);

            Duration kept = redis.getExpire("aiw3:session-revoked:" + session).block();
            assertThat(kept)
                    .as("kept until the token would have expired, and the validators' minute of skew")
                    .isBetween(Duration.ofSeconds(600), Duration.ofSeconds(661));

            List<SessionEvent.SessionRevoked> published = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, EventEnvelope<EventPayload>> record :
                        KafkaTestUtils.getRecords(revocations, Duration.ofMillis(500))) {
                    if (record.value().payload() instanceof SessionEvent.SessionRevoked revoked
                            && revoked.userId().equals(user)) {
                        assertThat(record.key()).isEqualTo(user);
                        published.add(revoked);
                    }
                }
                return !published.isEmpty();
            });
            assertThat(published).singleElement().satisfies(revoked -> {
                assertThat(revoked.sessionId()).isEqualTo(session);
                assertThat(revoked.expiresAt()).isEqualTo(Tokens.expiryOf(token));
                assertThat(revoked.at()).isBefore(Instant.now().plusSeconds(1));
            });
        } finally {
            second.close();
        }
    }

    private Consumer<String, EventEnvelope<EventPayload>> consumer() {
        Map<String, Object> config = KafkaTestUtils.consumerProps(broker, "sign-out-test-" + UUID.randomUUID(), false);
        config.put("auto.offset.reset", "earliest");
        KafkaConsumer<String, EventEnvelope<EventPayload>> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new EventDeserializer());
        consumer.subscribe(List.of(Topics.Names.SESSION_REVOCATIONS));
        return consumer;
    }

    private static void assertRefused(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("signed out");
    }

    private HttpResponse<String> stream(int at, String authorization) {
        return call(request(at, "/api/events/stream?events=1&every=10").header("Authorization", authorization));
    }

    private static HttpRequest.Builder request(int at, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at + path))
                .timeout(Duration.ofSeconds(30));
    }

    private static HttpResponse<String> call(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
