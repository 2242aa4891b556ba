package com.aiw3.upgrade.upgrade;

import com.aiw3.upgrade.chain.BurnTransaction;
import com.aiw3.upgrade.tier.Tier;
import com.aiw3.upgrade.tier.Tiers;
import com.aiw3.web.Caller;
import com.fasterxml.jackson.annotation.JsonAlias;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The upgrade API ({@code /api/v1/nft/...}), with the older unversioned paths ({@code /api/nft/...}) as
 * aliases that existing clients still call. The caller is the user the
 * gateway authenticated; another user's upgrade answers 404.
 */
@RestController
class UpgradeController {

    private final UpgradeCommands commands;
    private final UpgradeQueries queries;
    private final UpgradeOperatorActions operators;
    private final Tiers tiers;

    UpgradeController(UpgradeCommands commands, UpgradeQueries queries, UpgradeOperatorActions operators, Tiers tiers) {
        this.commands = commands;
        this.queries = queries;
        this.operators = operators;
        this.tiers = tiers;
    }

    /**
     * The unversioned path sends {@code targetLevel} (and the NFT id, which is implied: a user has one active
     * NFT) instead of {@code targetTierId}.
     */
    record StartRequest(
            @Nullable Integer targetTierId,
            @Nullable Integer targetLevel,
            @Nullable String currentNftId) {}

    @ApiResponse(
            responseCode = "202",
            description =
                    "the upgrade: awaiting_burn with the unsigned burn when qualified, qualification_failed with every requirement when not; Location and Idempotent-Replayed headers")
    @ApiResponse(responseCode = "400", description = "no target tier, or a malformed Idempotency-Key")
    @ApiResponse(
            responseCode = "409",
            description =
                    "no active NFT, an open upgrade already, or the NFT is no longer in the wallet (type nft-not-in-wallet)")
    @ApiResponse(
            responseCode = "422",
            description = "unknown tier or not the next tier, or the Idempotency-Key used with another body")
    @ApiResponse(
            responseCode = "503",
            description = "the Solana RPC node is out of reach (Retry-After); nothing written")
    @PostMapping({"/api/v1/nft/upgrade", "/api/nft/upgrade"})
    ResponseEntity<UpgradeView> start(
            Caller caller,
            @RequestBody StartRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new Refusal.Malformed("Idempotency-Key must be 1 to 200 characters");
        }
        int tier = targetTier(request);
        UpgradeCommands.Started started = commands.start(caller, tier, idempotencyKey);
        UpgradeView view = started.upgrade();
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/v1/nft/upgrade/" + view.upgradeId()))
                .header("Idempotent-Replayed", Boolean.toString(started.replayed()))
                .body(view);
    }

    private int targetTier(StartRequest request) {
        if (request.targetTierId() != null) {
            return request.targetTierId();
        }
        if (request.targetLevel() != null) {
            return tiers.all().stream()
                    .filter(t -> t.level() == request.targetLevel())
                    .map(Tier::id)
                    .findFirst()
                    .orElseThrow(() -> new Refusal.Unprocessable("unknown tier level " + request.targetLevel()));
        }
        throw new Refusal.Malformed("targetTierId is required");
    }

    @ApiResponse(responseCode = "200", description = "the upgrade's current state")
    @ApiResponse(responseCode = "404", description = "no such upgrade of the caller")
    @GetMapping({"/api/v1/nft/upgrade/{id}", "/api/nft/upgrade/{id}"})
    UpgradeView get(Caller caller, @PathVariable UUID id) {
        return queries.view(caller, id);
    }

    @ApiResponse(responseCode = "200", description = "the caller's upgrades, newest first")
    @GetMapping({"/api/v1/nft/upgrades", "/api/nft/upgrades"})
    UpgradeQueries.Page history(
            Caller caller, @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return queries.history(caller, page, size);
    }

    record ConfirmBurnRequest(
            @JsonAlias({"signature", "transactionSignature", "txHash"})
            String burnTxSignature) {}

    @ApiResponse(
            responseCode = "202",
            description =
                    "burn_verified: the rest runs asynchronously on eventsUrl; the same signature again answers the current state")
    @ApiResponse(responseCode = "400", description = "a malformed signature")
    @ApiResponse(responseCode = "404", description = "no such upgrade of the caller")
    @ApiResponse(responseCode = "409", description = "the wrong state, or a burn already used by another upgrade")
    @ApiResponse(
            responseCode = "422",
            description = "the signature is not a confirmed burn of exactly this NFT by the caller's wallet (yet)")
    @ApiResponse(responseCode = "429", description = "too many confirm-burns in a burst (Retry-After)")
    @ApiResponse(
            responseCode = "503",
            description = "the Solana RPC node is out of reach (Retry-After); nothing written")
    @PatchMapping("/api/v1/nft/upgrade/{id}/confirm-burn")
    ResponseEntity<UpgradeView> confirmBurn(
            Caller caller, @PathVariable UUID id, @RequestBody ConfirmBurnRequest request) {
        UpgradeView view = commands.confirmBurn(caller, id, request.burnTxSignature());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view);
    }

    /** The unversioned path's name for confirm-burn. */
    @ApiResponse(
            responseCode = "202",
            description =
                    "burn_verified: the rest runs asynchronously on eventsUrl; the same signature again answers the current state")
    @ApiResponse(responseCode = "400", description = "a malformed signature")
    @ApiResponse(responseCode = "404", description = "no such upgrade of the caller")
    @ApiResponse(responseCode = "409", description = "the wrong state, or a burn already used by another upgrade")
    @ApiResponse(
            responseCode = "422",
            description = "the signature is not a confirmed burn of exactly this NFT by the caller's wallet (yet)")
    @ApiResponse(responseCode = "429", description = "too many confirm-burns in a burst (Retry-After)")
    @ApiResponse(
            responseCode = "503",
            description = "the Solana RPC node is out of reach (Retry-After); nothing written")
    @PostMapping("/api/nft/upgrade/{id}/burn-confirmation")
    ResponseEntity<UpgradeView> burnConfirmation(
            Caller caller, @PathVariable UUID id, @RequestBody ConfirmBurnRequest request) {
        return confirmBurn(caller, id, request);
    }

    @ApiResponse(responseCode = "200", description = "the cancelled upgrade")
    @ApiResponse(responseCode = "404", description = "no such upgrade of the caller")
    @ApiResponse(responseCode = "409", description = "the upgrade is no longer awaiting its burn")
    @PostMapping({"/api/v1/nft/upgrade/{id}/cancel", "/api/nft/upgrade/{id}/cancel"})
    UpgradeView cancel(Caller caller, @PathVariable UUID id) {
        return commands.cancel(caller, id);
    }

    /** A burn transaction with a fresh blockhash: a signed transaction is only valid for about a minute. */
    @ApiResponse(responseCode = "200", description = "a fresh unsigned burn transaction")
    @ApiResponse(responseCode = "404", description = "no such upgrade of the caller")
    @ApiResponse(responseCode = "409", description = "the upgrade is no longer awaiting its burn")
    @ApiResponse(responseCode = "503", description = "the Solana RPC node is out of reach (Retry-After)")
    @GetMapping("/api/v1/nft/upgrade/{id}/burn-transaction")
    BurnTransaction burnTransaction(Caller caller, @PathVariable UUID id) {
        return commands.freshBurnTransaction(caller, id);
    }

    @ApiResponse(responseCode = "202", description = "the upgrade, its mint retried")
    @ApiResponse(responseCode = "403", description = "the caller is not an operator")
    @ApiResponse(responseCode = "404", description = "no such upgrade")
    @ApiResponse(responseCode = "409", description = "the upgrade did not give up after its burn")
    @PostMapping("/api/v1/nft/admin/upgrades/{id}/retry-mint")
    ResponseEntity<UpgradeView> retryMint(Caller caller, @PathVariable UUID id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(operators.retry(caller, id));
    }

    @ApiResponse(responseCode = "200", description = "the compensation requests")
    @ApiResponse(responseCode = "403", description = "the caller is not an operator")
    @GetMapping("/api/v1/nft/admin/compensations")
    List<Compensations.Compensation> compensations(
            Caller caller,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "100") int limit) {
        return operators.compensations(caller, status, Math.max(1, Math.min(limit, 500)));
    }
}
