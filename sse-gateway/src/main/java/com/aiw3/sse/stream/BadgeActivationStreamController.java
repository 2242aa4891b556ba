package com.aiw3.sse.stream;

import com.aiw3.events.realtime.UserEvent.BadgeActivationStep;
import com.aiw3.web.Caller;
import java.util.UUID;
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

    private final ProcessStreams processes;

    BadgeActivationStreamController(ProcessStreams processes) {
        this.processes = processes;
    }

    @GetMapping(path = "/api/v1/badges/activations/{activationId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<ResponseEntity<Flux<DataBuffer>>> activationStream(
            ServerHttpRequest request, Caller caller, @PathVariable UUID activationId) {
        return processes.open(
                request,
                caller,
                payload -> payload instanceof BadgeActivationStep step && activationId.equals(step.activationId()),
                payload -> payload instanceof BadgeActivationStep step
                        && step.status().terminal(),
                "no badge activation " + activationId + " of yours");
    }
}
