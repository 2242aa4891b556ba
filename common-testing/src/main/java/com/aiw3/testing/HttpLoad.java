package com.aiw3.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The load client of the benchmarks that compare paths to a service (direct, through api-gateway, through
 * nginx): the same requests on the same schedule against any base URL, with Reactor Netty's client in the
 * benchmark's JVM. Needs {@code reactor-netty-http} on the test classpath (optional here).
 *
 * <p>Two ways to load, for two questions. {@link #closedLoop} keeps {@code concurrency} requests in flight:
 * the path's rate at saturation. {@link #fixedRate} sends on a fixed schedule whatever the answers do and
 * counts each latency from when its request was due, so a stall shows in every request it delays (no
 * coordinated omission): the path's latency below saturation.
 */
public final class HttpLoad {

    /** Latencies in nanoseconds, and how many calls a run made in how long. */
    public record Run(long[] latencies, int calls, long nanos, int failures) {
        public double perSecond() {
            return calls / (nanos / 1e9);
        }

        public double ms(double percentile) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(percentile * sorted.length) - 1));
            return sorted[index] / 1e6;
        }
    }

    private final String baseUrl;
    private final Function<HttpClient, Mono<Integer>> call;
    /** Closed-loop latencies, one buffer for every run of this load (the runs are one after another). */
    private long @Nullable [] closedLoopLatencies;

    /**
     * @param call one request with the given client (already pointed at {@code baseUrl}), answering its
     *             status; anything but 200 counts as a failure
     */
    public HttpLoad(String baseUrl, Function<HttpClient, Mono<Integer>> call) {
        this.baseUrl = baseUrl;
        this.call = call;
    }

    /** Reads a response to its end and answers its status. */
    public static Mono<Integer> status(HttpClient.ResponseReceiver<?> request) {
        return request.responseSingle((response, body) -> body.asByteArray()
                .map(bytes -> response.status().code())
                .defaultIfEmpty(response.status().code()));
    }

    /**
     * Load in 5-second windows until two in a row are within 3% of each other (at least {@code minSeconds},
     * at most five minutes): the JIT takes a minute or more to compile a reactive request path. Returns the
     * windows' rates.
     */
    public String warmUp(int concurrency, int minSeconds) {
        List<String> rates = new ArrayList<>();
        long start = System.nanoTime();
        double last = 0;
        while (true) {
            double rate = closedLoop(concurrency, 5).perSecond();
            rates.add(String.format(Locale.ROOT, "%.0f", rate));
            long elapsed = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            boolean settled = last > 0 && Math.abs(rate - last) / last < 0.03;
            if ((settled && elapsed >= minSeconds) || elapsed > 300) {
                return String.join(" ", rates);
            }
            last = rate;
        }
    }

    /** As many requests as {@code concurrency} callers, each sending its next when its last is answered. */
    public Run closedLoop(int concurrency, int seconds) {
        if (closedLoopLatencies == null) {
            closedLoopLatencies = new long[4_000_000];
        }
        long[] latencies = closedLoopLatencies;
        AtomicInteger index = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        try (Client pooled = Client.of(baseUrl, concurrency)) {
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(seconds).toNanos();
            Flux.range(0, Integer.MAX_VALUE)
                    .takeWhile(i -> System.nanoTime() < deadline)
                    .flatMap(
                            i -> {
                                long sent = System.nanoTime();
                                return call.apply(pooled.http()).doOnNext(status -> {
                                    if (status != 200) {
                                        failures.incrementAndGet();
                                    }
                                    int at = index.getAndIncrement();
                                    if (at < latencies.length) {
                                        latencies[at] = System.nanoTime() - sent;
                                    }
                                });
                            },
                            concurrency)
                    .blockLast(Duration.ofMinutes(5));
            int calls = index.get();
            return new Run(
                    Arrays.copyOf(latencies, Math.min(calls, latencies.length)),
                    calls,
                    System.nanoTime() - start,
                    failures.get());
        }
    }

    /** {@code perSecond} requests a second for {@code seconds}, on schedule whatever the answers do. */
    public Run fixedRate(int perSecond, int seconds) {
        int total = perSecond * seconds;
        long period = 1_000_000_000L / perSecond;
        long[] latencies = new long[total];
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        try (Client pooled = Client.of(baseUrl, 256)) {
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int slot = i;
                call.apply(pooled.http())
                        .subscribe(
                                status -> {
                                    if (status != 200) {
                                        failures.incrementAndGet();
                                    }
                                    latencies[slot] = System.nanoTime() - due;
                                    done.incrementAndGet();
                                },
                                error -> {
                                    failures.incrementAndGet();
                                    done.incrementAndGet();
                                });
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (done.get() < total && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000L);
            }
            return new Run(latencies, total, System.nanoTime() - start, failures.get() + (total - done.get()));
        }
    }

    /** A client with a pool of its own, closed (its connections with it) when the run is over. */
    public record Client(HttpClient http, ConnectionProvider pool) implements AutoCloseable {
        public static Client of(String baseUrl, int connections) {
            ConnectionProvider pool = ConnectionProvider.builder("load-" + connections)
                    .maxConnections(connections)
                    .pendingAcquireMaxCount(-1)
                    .build();
            return new Client(HttpClient.create(pool).baseUrl(baseUrl), pool);
        }

        @Override
        public void close() {
            pool.disposeLater().block(Duration.ofSeconds(30));
        }
    }
}
