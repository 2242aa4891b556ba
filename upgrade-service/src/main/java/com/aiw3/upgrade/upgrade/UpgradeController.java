package com.aiw3.upgrade.upgrade;

import com.aiw3.upgrade.chain.BurnTransaction;
import com.aiw3.upgrade.tier.Tier;
import com.aiw3.upgrade.tier.Tiers;
import com.aiw3.web.Caller;
import com.fasterxml.jackson.annotation.JsonAlias;
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

    @GetMapping({"/api/v1/nft/upgrade/{id}", "/api/nft/upgrade/{id}"})
    UpgradeView get(Caller caller, @PathVariable UUID id) {
        return queries.view(caller, id);
    }

    @GetMapping({"/api/v1/nft/upgrades", "/api/nft/upgrades"})
    UpgradeQueries.Page history(
            Caller caller, @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return queries.history(caller, page, size);
    }

    record ConfirmBurnRequest(
            @JsonAlias({"signature", "transactionSignature", "txHash"})
            String burnTxSignature) {}

    @PatchMapping("/api/v1/nft/upgrade/{id}/confirm-burn")
    ResponseEntity<UpgradeView> confirmBurn(
            Caller caller, @PathVariable UUID id, @RequestBody ConfirmBurnRequest request) {
        UpgradeView view = commands.confirmBurn(caller, id, request.burnTxSignature());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view);
    }

    /** The unversioned path's name for confirm-burn. */
    @PostMapping("/api/nft/upgrade/{id}/burn-confirmation")
    ResponseEntity<UpgradeView> burnConfirmation(
            Caller caller, @PathVariable UUID id, @RequestBody ConfirmBurnRequest request) {
        return confirmBurn(caller, id, request);
    }

    @PostMapping({"/api/v1/nft/upgrade/{id}/cancel", "/api/nft/upgrade/{id}/cancel"})
    UpgradeView cancel(Caller caller, @PathVariable UUID id) {
        return commands.cancel(caller, id);
    }

    /** A burn transaction with a fresh blockhash: a signed transaction is only valid for about a minute. */
    @GetMapping("/api/v1/nft/upgrade/{id}/burn-transaction")
    BurnTransaction burnTransaction(Caller caller, @PathVariable UUID id) {
        return commands.freshBurnTransaction(caller, id);
    }

    @PostMapping("/api/v1/nft/admin/upgrades/{id}/retry-mint")
    ResponseEntity<UpgradeView> retryMint(Caller caller, @PathVariable UUID id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(operators.retry(caller, id));
    }

    @GetMapping("/api/v1/nft/admin/compensations")
    List<Compensations.Compensation> compensations(
            Caller caller,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "100") int limit) {
        return operators.compensations(caller, status, Math.max(1, Math.min(limit, 500)));
    }
}
