package com.aiw3.upgrade.upgrade;

import com.aiw3.web.Caller;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The first-NFT claim API. The caller is the user the gateway authenticated, and the wallet is the one in
 * their signed identity: the body names none. Another user's claim answers 404.
 */
@RestController
class ClaimController {

    private final ClaimCommands claims;

    ClaimController(ClaimCommands claims) {
        this.claims = claims;
    }

    /** The body is empty or {@code {}}: nothing in it can choose the wallet or the tier. */
    record ClaimRequest() {}

    @ApiResponse(
            responseCode = "202",
            description =
                    "the claim: qualification_verified when qualified, qualification_failed with every requirement when not; Location and Idempotent-Replayed headers")
    @ApiResponse(responseCode = "400", description = "a malformed Idempotency-Key")
    @ApiResponse(
            responseCode = "409",
            description = "the first NFT is already claimed by the caller or for the wallet (type already-claimed)")
    @ApiResponse(
            responseCode = "422",
            description =
                    "the caller has no wallet (type no-wallet), or the Idempotency-Key was used with another body")
    @PostMapping("/api/v1/nft/claim")
    ResponseEntity<ClaimView> claim(
            Caller caller,
            @RequestBody(required = false) @Nullable ClaimRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new Refusal.Malformed("Idempotency-Key must be 1 to 200 characters");
        }
        ClaimCommands.Started started = claims.start(caller, idempotencyKey);
        ClaimView view = started.claim();
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create(ClaimView.PATH.formatted(view.claimId())))
                .header("Idempotent-Replayed", Boolean.toString(started.replayed()))
                .body(view);
    }

    @ApiResponse(responseCode = "200", description = "the claim's current state")
    @ApiResponse(responseCode = "404", description = "no such claim of the caller")
    @GetMapping("/api/v1/nft/claims/{id}")
    ClaimView get(Caller caller, @PathVariable UUID id) {
        return claims.view(caller, id);
    }

    @ApiResponse(responseCode = "202", description = "the claim, its upload or mint retried")
    @ApiResponse(responseCode = "403", description = "the caller is not an operator")
    @ApiResponse(responseCode = "404", description = "no such claim")
    @ApiResponse(responseCode = "409", description = "the claim has not failed")
    @PostMapping("/api/v1/nft/admin/claims/{id}/retry-mint")
    ResponseEntity<ClaimView> retryMint(Caller caller, @PathVariable UUID id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(claims.retry(caller, id));
    }
}
