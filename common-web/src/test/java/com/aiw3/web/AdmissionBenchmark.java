package com.aiw3.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * How fast an instance at its in-flight limit answers: the limit's slots are held by slow requests while
 * {@code benchmark.requests} more arrive, {@code benchmark.concurrency} at a time; prints the refusals'
 * latency (client-measured, loopback). Run: {@code ./mvnw -Pbenchmark -pl common-web verify
 * -Dit.test=AdmissionBenchmark}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = AdmissionFilterIntegrationTest.App.class,
        properties = {"aiw3.web.admission.max-in-flight=2"})
class AdmissionBenchmark {

    @LocalServerPort
    int port;

    @Autowired
    AdmissionFilterIntegrationTest.SlowWrites writes;

    @Test
    void refusalsAtCapacityAreAnsweredAtOnce() throws Exception {
        int requests = Integer.getInteger("benchmark.requests", 20_000);
        int concurrency = Integer.getInteger("benchmark.concurrency", 50);
        HttpClient http = HttpClient.newBuilder()
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        URI things = URI.create("http://127.0.0.1:" + port + "/things");
        List<CompletableFuture<HttpResponse<Void>>> held = List.of(post(http, things), post(http, things));
        await().atMost(10, TimeUnit.SECONDS).until(() -> writes.started.get() == 2);

        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            long[] nanos = new long[requests];
            AtomicInteger refused = new AtomicInteger();
            Semaphore window = new Semaphore(concurrency);
            List<CompletableFuture<Void>> all = new ArrayList<>(requests);
            long begin = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                int index = i;
                window.acquire();
                long sent = System.nanoTime();
                all.add(post(http, things).thenAccept(response -> {
                    nanos[index] = System.nanoTime() - sent;
                    if (response.statusCode() == 503) {
                        refused.incrementAndGet();
                    }
                    window.release();
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - begin) / 1e9;
            Arrays.sort(nanos);
            System.out.printf(
                    "admission %s: %d requests at %d concurrent, %d refused 503, %.0f/s; "
                            + "latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    round == 0 ? "warm-up" : "measured",
                    requests,
                    concurrency,
                    refused.get(),
                    requests / seconds,
                    nanos[requests / 2] / 1e6,
                    nanos[(int) (requests * 0.99)] / 1e6,
                    nanos[requests - 1] / 1e6);
            assertThat(refused).hasValue(requests);
        }
        writes.release.countDown();
        for (CompletableFuture<HttpResponse<Void>> request : held) {
            assertThat(request.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    private static CompletableFuture<HttpResponse<Void>> post(HttpClient http, URI uri) {
        return http.sendAsync(
                HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
