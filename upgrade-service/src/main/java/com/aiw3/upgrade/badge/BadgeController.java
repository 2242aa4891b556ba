package com.aiw3.upgrade.badge;

import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** The caller's badges ({@code /api/v1/badges}); the caller is the user the gateway authenticated. */
@RestController
class BadgeController {

    private final BadgeBook book;
    private final BadgeActivations activations;

    BadgeController(BadgeBook book, BadgeActivations activations) {
        this.book = book;
        this.activations = activations;
    }

    /** Owned (earned, not activated), activated, consumed, and the badges still to earn with progress. */
    @ApiResponse(responseCode = "200", description = "the caller's badges by state, and the badges still to earn")
    @GetMapping("/api/v1/badges")
    BadgeBook.Badges badges(Caller caller) {
        return book.of(caller.userId());
    }

    /**
     * Starts the activation of one of the caller's earned badges: 202 with the activation, its
     * {@code Location} and {@code eventsUrl}; the steps follow on the stream (ADR 0031). The same key, or a
     * badge already activated or being activated: 202 with that activation, {@code Idempotent-Replayed: true}.
     * A badge the caller does not have: 404; a consumed one: 409; a key used for another badge: 422.
     */
    @ApiResponse(
            responseCode = "202",
            description = "the activation, its steps on eventsUrl; Location and Idempotent-Replayed headers")
    @ApiResponse(responseCode = "400", description = "a malformed Idempotency-Key")
    @ApiResponse(responseCode = "404", description = "the caller has not earned this badge")
    @ApiResponse(responseCode = "409", description = "the badge is consumed")
    @ApiResponse(responseCode = "422", description = "the Idempotency-Key was used for another badge")
    @PostMapping("/api/v1/badges/{code}/activate")
    ResponseEntity<ActivationView> activate(
            Caller caller,
            @PathVariable String code,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw Problems.badRequest("Idempotency-Key must be 1 to 200 characters");
        }
        if (code.isEmpty() || code.length() > 64) {
            throw Problems.notFound("you have no badge " + code + " to activate: earn it first");
        }
        BadgeActivations.Started started = activations.start(caller.userId(), code, idempotencyKey);
        ActivationView view = started.activation();
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/v1/badges/activations/" + view.activationId()))
                .header("Idempotent-Replayed", Boolean.toString(started.replayed()))
                .body(view);
    }

    /** One activation of the caller: its current step. Another user's is 404, like a missing one. */
    @ApiResponse(responseCode = "200", description = "the activation as it stands")
    @ApiResponse(responseCode = "404", description = "no such activation of the caller")
    @GetMapping("/api/v1/badges/activations/{id}")
    ActivationView activation(Caller caller, @PathVariable UUID id) {
        return activations.view(caller.userId(), id);
    }
}
