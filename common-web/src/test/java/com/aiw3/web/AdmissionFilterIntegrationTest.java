package com.aiw3.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A real Tomcat with an in-flight limit of two: the third request is refused at once, before any controller. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = AdmissionFilterIntegrationTest.App.class,
        properties = {"aiw3.web.admission.max-in-flight=2", "aiw3.web.admission.max-wait=0s"})
class AdmissionFilterIntegrationTest {

    @EnableAutoConfiguration(exclude = CallerWebAutoConfiguration.class)
    @Import(SlowWrites.class)
    static class App {}

    @RestController
    static class SlowWrites {
        final AtomicInteger started = new AtomicInteger();
        volatile CountDownLatch release = new CountDownLatch(1);

        @PostMapping("/things")
        String create() throws InterruptedException {
            started.incrementAndGet();
            release.await(30, TimeUnit.SECONDS);
            return "created";
        }

        @GetMapping("/actuator/ping")
        String ping() {
            return "pong";
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    SlowWrites writes;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void nothingHeld() {
        writes.started.set(0);
        writes.release = new CountDownLatch(1);
    }

    @AfterEach
    void releaseHeldRequests() {
        writes.release.countDown();
    }

    @Test
    void aRequestBeyondTheLimitIsRefusedWith503AndRetryAfterWithoutReachingTheController() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> held = List.of(post(), post());
        await().atMost(10, TimeUnit.SECONDS).until(() -> writes.started.get() == 2);

        HttpResponse<String> refused = post().get(10, TimeUnit.SECONDS);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("\"status\":503");
        assertThat(writes.started).hasValue(2);

        writes.release.countDown();
        for (CompletableFuture<HttpResponse<String>> request : held) {
            assertThat(request.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        writes.release = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> afterwards = post();
        await().atMost(10, TimeUnit.SECONDS).until(() -> writes.started.get() == 3);
        writes.release.countDown();
        assertThat(afterwards.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndMetricsEndpointsAreAnsweredWhileTheInstanceIsFull() throws Exception {
        List.of(post(), post());
        await().atMost(10, TimeUnit.SECONDS).until(() -> writes.started.get() == 2);

        HttpResponse<String> ping = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/ping"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("pong");
    }

    private CompletableFuture<HttpResponse<String>> post() {
        return http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/things"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
