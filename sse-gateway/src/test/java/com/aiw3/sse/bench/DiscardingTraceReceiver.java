package com.aiw3.sse.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP trace endpoint that reads every export request and discards it: the gateway pays for building,
 * batching and sending its spans, and nothing is kept. Counts the requests it answered.
 */
final class DiscardingTraceReceiver implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();

    private DiscardingTraceReceiver(HttpServer server) {
        this.server = server;
    }

    static DiscardingTraceReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        DiscardingTraceReceiver receiver = new DiscardingTraceReceiver(server);
        server.createContext("/v1/traces", receiver::discard);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
        return receiver;
    }

    /** What the gateway's {@code management.opentelemetry.tracing.export.otlp.endpoint} names. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    long requests() {
        return requests.get();
    }

    private void discard(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
