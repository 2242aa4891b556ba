package com.aiw3.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Streams have a pool of their own: a full one refuses the next stream at once, and REST calls go on. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StreamingPoolIntegrationTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String LONG_STREAM = "/api/events/stream?events=600&every=100";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Downstreams.start();
        ApiGatewayIntegrationTest.gatewayProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("aiw3.gateway.streaming.max-connections", () -> "3");
        registry.add("aiw3.gateway.streaming.retry-after", () -> "7s");
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private final List<InputStream> open = new ArrayList<>();

    @AfterEach
    void closeStreams() throws Exception {
        for (InputStream stream : open) {
            stream.close();
        }
    }

    @Test
    void aFullStreamsPoolRefusesTheNextStreamWith503AndRetryAfterAndFreesASlotWhenAStreamEnds() throws Exception {
        Downstreams.REST.stubFor(get(urlPathEqualTo("/api/v1/nft/tiers"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[]")));
        for (int i = 0; i < 3; i++) {
            open.add(openStream());
        }
        assertThat(meters.get("aiw3.gateway.streams.active").gauge().value()).isEqualTo(3);
        double refusedBefore =
                meters.get("aiw3.gateway.streams.refused").counter().count();

        long started = System.nanoTime();
        HttpResponse<String> fourth = HTTP.send(request(LONG_STREAM), HttpResponse.BodyHandlers.ofString());

        assertThat(fourth.statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(fourth.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(fourth.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(meters.get("aiw3.gateway.streams.refused").counter().count()).isEqualTo(refusedBefore + 1);

        // REST routes have their own pool, and sse-gateway's health is no stream: both still answer.
        assertThat(HTTP.send(request("/api/v1/nft/tiers"), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        assertThat(HTTP.send(request("/api/v1/monitoring/sse-health"), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isNotEqualTo(503);

        open.removeFirst().close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("aiw3.gateway.streams.active").gauge().value() == 2);
        open.add(openStream());
        assertThat(meters.get("aiw3.gateway.streams.active").gauge().value()).isEqualTo(3);
    }

    /** A stream through the gateway, open once its first event has arrived. */
    private InputStream openStream() throws Exception {
        HttpResponse<InputStream> response = HTTP.send(request(LONG_STREAM), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("id:");
        return response.body();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + Tokens.valid("streamer", "user"))
                .build();
    }
}
