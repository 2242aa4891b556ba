package com.aiw3.sse.stream;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.sse.feed.History;
import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The stream of one process of a user (an upgrade, a first-NFT claim, a badge activation): its current step
 * first, then each later one; it ends after a terminal step. The steps are kept per user, so only the process's
 * owner finds it; others get 404.
 */
@Component
class ProcessStreams {

    /** The client may connect right after its POST, before the process's first step reached this instance. */
    private static final Duration FIRST_EVENT_WAIT = Duration.ofSeconds(5);

    private static final Duration LOOK_AGAIN = Duration.ofMillis(100);

    private final Streams streams;
    private final History history;

    ProcessStreams(Streams streams, History history) {
        this.streams = streams;
        this.history = history;
    }

    /**
     * @param ofProcess whether an event is a step of the process
     * @param terminal  whether a step of the process is its last
     * @param missing   the 404's detail when the owner has no such process
     */
    Mono<ResponseEntity<Flux<DataBuffer>>> open(
            ServerHttpRequest request,
            Caller caller,
            Predicate<EventPayload> ofProcess,
            Predicate<EventPayload> terminal,
            String missing) {
        String owner = caller.userId();
        return Flux.interval(Duration.ZERO, LOOK_AGAIN)
                .take(FIRST_EVENT_WAIT.toMillis() / LOOK_AGAIN.toMillis())
                .map(tick -> stepsOf(owner, ofProcess))
                .filter(steps -> !steps.isEmpty())
                .next()
                .switchIfEmpty(Mono.error(() -> Problems.notFound(missing)))
                .map(steps -> {
                    // Earlier steps are history: the stream starts at the current one.
                    Set<UUID> earlier = steps.subList(0, steps.size() - 1).stream()
                            .map(EventEnvelope::eventId)
                            .collect(Collectors.toSet());
                    return StreamController.sse(streams.open(
                            LoopInbox.connectionOf(request),
                            new Streams.Subscription(
                                    caller,
                                    History.Cursor.START,
                                    streams.ofUser(owner, History.Cursor.START),
                                    event -> ofProcess.test(event.payload()) && !earlier.contains(event.eventId()),
                                    event -> ofProcess.test(event.payload()) && terminal.test(event.payload()))));
                });
    }

    private List<EventEnvelope<EventPayload>> stepsOf(String user, Predicate<EventPayload> ofProcess) {
        return history.of(user).stream()
                .filter(e -> ofProcess.test(e.payload()))
                .toList();
    }
}
