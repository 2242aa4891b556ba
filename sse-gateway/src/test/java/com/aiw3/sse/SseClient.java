package com.aiw3.sse;

import com.aiw3.testing.TestIdentities;
import com.aiw3.web.IdentityHeaders;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/**
 * A test's open stream on sse-gateway: collects what it receives and when it ended ({@code endedAt}: 0 while
 * open, the {@link System#nanoTime()} of a normal end, -1 after an error).
 */
record SseClient(List<ServerSentEvent<String>> received, AtomicLong endedAt, Disposable connection) {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() {};

    /** The user stream as {@code user}, resuming after {@code lastEventId} when it is not null. */
    static SseClient connect(int port, String user, String path, @Nullable String lastEventId) {
        return open(port, path, h -> {
            h.set(IdentityHeaders.IDENTITY, TestIdentities.identityOf(user, "user"));
            if (lastEventId != null) {
                h.set("Last-Event-ID", lastEventId);
            }
        });
    }

    static SseClient open(int port, String path, Consumer<HttpHeaders> headers) {
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        AtomicLong endedAt = new AtomicLong();
        Disposable connection = WebClient.create("http://127.0.0.1:" + port)
                .get()
                .uri(path)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(headers)
                .retrieve()
                .bodyToFlux(SSE)
                .subscribe(received::add, error -> endedAt.set(-1), () -> endedAt.set(System.nanoTime()));
        return new SseClient(received, endedAt, connection);
    }

    List<String> data() {
        return received.stream()
                .filter(e -> e.data() != null)
                .map(ServerSentEvent::data)
                .toList();
    }

    boolean connected() {
        return data().stream().anyMatch(d -> d.contains("\"type\":\"connection_established\""));
    }

    boolean ended() {
        return endedAt.get() != 0;
    }

    /** What was received besides the greeting and broadcasts (which other tests publish too). */
    List<String> events() {
        return data().stream()
                .filter(d -> !d.contains("\"type\":\"connection_established\"")
                        && !d.contains("\"type\":\"feature_announcement\""))
                .toList();
    }

    /** The price alerts received, as their data lines. */
    List<String> alerts() {
        return data().stream()
                .filter(d -> d.contains("\"type\":\"price_alert\""))
                .toList();
    }

    ServerSentEvent<String> last() {
        return received.getLast();
    }

    @Nullable
    String lastId() {
        return received.stream()
                .map(ServerSentEvent::id)
                .filter(id -> id != null)
                .reduce((a, b) -> b)
                .orElse(null);
    }
}
