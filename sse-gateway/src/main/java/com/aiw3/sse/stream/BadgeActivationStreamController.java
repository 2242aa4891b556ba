package com.aiw3.sse.stream;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.realtime.UserEvent.BadgeActivationStep;
import com.aiw3.sse.feed.History;
import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One badge activation's steps (ADR 0031): its current step first, then each later one; ends after
 * {@code activated} or {@code failed}. The steps are user events, kept per user, so only the activation's
 * owner finds it; others get 404.
 */
@RestController
class BadgeActivationStreamController {

    private static final Duration FIRST_EVENT_WAIT = Duration.ofSeconds(5);
    private static final Duration LOOK_AGAIN = Duration.ofMillis(100);

    private final Streams streams;
    private final History history;

    BadgeActivationStreamController(Streams streams, History history) {
        this.streams = streams;
        this.history = history;
    }

    @GetMapping(path = "/api/v1/badges/activations/{activationId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<ResponseEntity<Flux<DataBuffer>>> activationStream(
            ServerHttpRequest request, Caller caller, @PathVariable UUID activationId) {
        String owner = caller.userId();
        // The client may connect right after its POST, before the first step reached this instance.
        return Flux.interval(Duration.ZERO, LOOK_AGAIN)
                .take(FIRST_EVENT_WAIT.toMillis() / LOOK_AGAIN.toMillis())
                .map(tick -> stepsOf(owner, activationId))
                .filter(steps -> !steps.isEmpty())
                .next()
                .switchIfEmpty(Mono.error(() -> Problems.notFound("no badge activation " + activationId + " of yours")))
                .map(steps -> {
                    // Earlier steps are history: the stream starts at the current one.
                    Set<UUID> earlier = steps.subList(0, steps.size() - 1).stream()
                            .map(EventEnvelope::eventId)
                            .collect(Collectors.toSet());
                    return StreamController.sse(streams.open(
                            LoopInbox.connectionOf(request),
                            new Streams.Subscription(
                                    owner,
                                    History.Cursor.START,
                                    streams.ofUser(owner, History.Cursor.START),
                                    event -> isStepOf(event.payload(), activationId)
                                            && !earlier.contains(event.eventId()),
                                    event -> isStepOf(event.payload(), activationId)
                                            && ((BadgeActivationStep) event.payload())
                                                    .status()
                                                    .terminal())));
                });
    }

    private List<EventEnvelope<EventPayload>> stepsOf(String user, UUID activationId) {
        return history.of(user).stream()
                .filter(e -> isStepOf(e.payload(), activationId))
                .toList();
    }

    private static boolean isStepOf(EventPayload payload, UUID activationId) {
        return payload instanceof BadgeActivationStep step && activationId.equals(step.activationId());
    }
}
