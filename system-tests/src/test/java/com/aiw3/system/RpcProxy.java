package com.aiw3.system;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Solana JSON-RPC endpoint upgrade-service sees: it relays to the local node, and can answer 500s,
 * hang (timeouts), or hold the answer to a sendTransaction after the node executed it (a crash between
 * sending a mint and learning its outcome).
 */
final class RpcProxy implements AutoCloseable {

    enum Mode {
        PASS,
        FAIL_500,
        HANG,
        HOLD_SENT_TRANSACTIONS
    }

    private final HttpServer server;
    private final URI node;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger sent = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile CountDownLatch held = new CountDownLatch(1);
    private volatile CountDownLatch release = new CountDownLatch(1);

    RpcProxy(int port, URI node) throws IOException {
        this.node = node;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void mode(Mode mode) {
        if (mode == Mode.HOLD_SENT_TRANSACTIONS) {
            held = new CountDownLatch(1);
            release = new CountDownLatch(1);
        }
        Mode before = this.mode;
        this.mode = mode;
        if (before == Mode.HOLD_SENT_TRANSACTIONS) {
            release.countDown();
        }
    }

    /** Waits until a sendTransaction has reached the node while holding answers. */
    boolean awaitHeldTransaction(Duration timeout) throws InterruptedException {
        return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int transactionsSent() {
        return sent.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean sendTransaction = new String(body, StandardCharsets.UTF_8).contains("\"sendTransaction\"");
            switch (mode) {
                case FAIL_500 -> {
                    reply(exchange, 500, "{\"error\":\"injected\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case HANG -> {
                    // Longer than the service's request timeout; the exchange closes when the mode ends.
                    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (mode == Mode.HANG && System.nanoTime() < until) {
                        Thread.sleep(100);
                    }
                    return;
                }
                default -> {}
            }
            HttpResponse<byte[]> answer = http.send(
                    HttpRequest.newBuilder(node)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (sendTransaction) {
                sent.incrementAndGet();
                if (mode == Mode.HOLD_SENT_TRANSACTIONS) {
                    held.countDown();
                    release.await(120, TimeUnit.SECONDS);
                    return; // the caller never learns the outcome
                }
            }
            reply(exchange, answer.statusCode(), answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        mode(Mode.PASS);
        server.stop(0);
    }
}
