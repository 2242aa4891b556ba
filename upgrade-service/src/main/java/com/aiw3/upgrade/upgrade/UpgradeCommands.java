package com.aiw3.upgrade.upgrade;

import static com.aiw3.events.upgrade.UpgradeStatus.AWAITING_BURN;
import static com.aiw3.events.upgrade.UpgradeStatus.BURN_FAILED;
import static com.aiw3.events.upgrade.UpgradeStatus.CANCELLED;

import com.aiw3.events.EventIds;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.messaging.tracing.MessageTracing;
import com.aiw3.upgrade.UpgradeProperties;
import com.aiw3.upgrade.chain.BurnCheck;
import com.aiw3.upgrade.chain.BurnTransaction;
import com.aiw3.upgrade.chain.ChainUnavailableException;
import com.aiw3.upgrade.chain.SolanaChain;
import com.aiw3.upgrade.tier.Qualification;
import com.aiw3.upgrade.tier.QualificationRules;
import com.aiw3.upgrade.upgrade.ProcessRows.Change;
import com.aiw3.web.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a user can do to an upgrade: start it, confirm its burn, cancel it. Every refusal is a {@link Refusal}
 * with nothing written; every accepted call writes its transitions and their events in one transaction.
 */
@Component
class UpgradeCommands {

    private static final String BURN_TIMED_OUT = "no confirmed burn arrived before the deadline";

    private final UpgradeStore store;
    private final Holdings holdings;
    private final QualificationRules qualification;
    private final SolanaChain chain;
    private final UpgradePipeline pipeline;
    private final UpgradeQueries queries;
    private final TransactionTemplate tx;
    private final UpgradeProperties properties;
    private final JsonMapper json;
    private final MessageTracing tracing;

    UpgradeCommands(
            UpgradeStore store,
            Holdings holdings,
            QualificationRules qualification,
            SolanaChain chain,
            UpgradePipeline pipeline,
            UpgradeQueries queries,
            TransactionTemplate tx,
            UpgradeProperties properties,
            JsonMapper json,
            MessageTracing tracing) {
        this.store = store;
        this.holdings = holdings;
        this.qualification = qualification;
        this.chain = chain;
        this.pipeline = pipeline;
        this.queries = queries;
        this.tx = tx;
        this.properties = properties;
        this.json = json;
        this.tracing = tracing;
    }

    record Started(UpgradeView upgrade, boolean replayed) {}

    /**
     * Starts an upgrade: initializing → qualification_verified → awaiting_burn (with the burn
     * transaction), or initializing → qualification_failed. Before a burn is prepared the chain is asked
     * whether the wallet still holds the NFT, and for a blockhash, both before the transaction opens, so a
     * chain outage writes nothing. An NFT no longer in the wallet refuses the upgrade and marks the
     * holding transferred, nothing else (ADR 0029).
     */
    Started start(Caller caller, int targetTierId, String idempotencyKey) {
        String requestHash = sha256("targetTierId=" + targetTierId);
        if (idempotencyKey != null) {
            Optional<Started> replay = replay(caller, idempotencyKey, requestHash);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        Qualification q = qualification.evaluate(caller.userId(), targetTierId);
        if (q.qualified()) {
            // Asked only when no upgrade of the user is open: an open upgrade's burn may already have
            // taken the NFT, which is not a transfer. A concurrent retry with the same key answers its upgrade.
            Optional<UUID> open = store.openUpgradeOf(caller.userId());
            if (open.isPresent()) {
                if (idempotencyKey != null) {
                    Optional<Started> replay = replay(caller, idempotencyKey, requestHash);
                    if (replay.isPresent()) {
                        return replay.get();
                    }
                }
                throw new Refusal.Conflicting("you already have an upgrade in progress: " + open.get());
            }
            stillHeld(q.nft());
        }
        BurnTransaction burn = q.qualified()
                ? chain.prepareBurn(q.nft().walletAddress(), q.nft().mintAddress())
                : null;
        UUID id = EventIds.next();
        String user = caller.userId();
        try {
            Upgrade created = tx.execute(status -> {
                Upgrade initial = Upgrade.initial(
                        id,
                        user,
                        q.nft().walletAddress(),
                        q.nft().id(),
                        q.nft().mintAddress(),
                        q.current().id(),
                        targetTierId);
                Upgrade u = store.create(
                        initial,
                        new UpgradeEvent.UpgradeInitiated(
                                id,
                                user,
                                q.nft().walletAddress(),
                                q.nft().mintAddress(),
                                q.current().id(),
                                targetTierId));
                if (!q.qualified()) {
                    u = store.move(
                            u,
                            new UpgradeEvent.QualificationFailed(id, user, targetTierId, q.missing()),
                            new Change.Requirements(q.requirements()),
                            new Change.FailureReason("the target tier's requirements are not met"));
                } else {
                    u = store.move(
                            u,
                            new UpgradeEvent.QualificationVerified(id, user, targetTierId),
                            new Change.Requirements(q.requirements()));
                    BurnTransaction prepared = Objects.requireNonNull(burn, "a qualified upgrade has a burn");
                    Instant deadline = Instant.now().plus(properties.burnTimeout());
                    u = store.move(
                            u,
                            new UpgradeEvent.BurnTransactionPrepared(
                                    id, user, q.nft().mintAddress(), prepared.base64(), deadline),
                            new Change.BurnPrepared(prepared.base64(), deadline));
                }
                if (idempotencyKey != null) {
                    store.rememberIdempotent(user, idempotencyKey, requestHash, id);
                }
                return u;
            });
            return new Started(UpgradeView.of(created, json), false);
        } catch (DuplicateKeyException e) {
            if (idempotencyKey != null) {
                Optional<Started> replay = replay(caller, idempotencyKey, requestHash);
                if (replay.isPresent()) {
                    return replay.get();
                }
            }
            throw new Refusal.Conflicting(store.openUpgradeOf(user)
                    .map(open -> "you already have an upgrade in progress: " + open)
                    .orElse("you already have an upgrade in progress"));
        }
    }

    private Optional<Started> replay(Caller caller, String key, String requestHash) {
        return store.idempotent(caller.userId(), key).map(previous -> {
            if (!previous.requestHash().equals(requestHash)) {
                throw new Refusal.Unprocessable("this Idempotency-Key was used for a different request; use a new key");
            }
            return new Started(UpgradeView.of(store.find(previous.upgradeId()).orElseThrow(), json), true);
        });
    }

    /**
     * The wallet must still hold the NFT the burn would take; if not, the holding is marked transferred
     * and the upgrade refused. A node that cannot answer is a {@link ChainUnavailableException}: 503,
     * nothing written.
     */
    private void stillHeld(Qualification.CurrentNft nft) {
        if (!chain.holds(nft.walletAddress(), nft.mintAddress())) {
            holdings.markTransferred(nft.id());
            throw new NftNotInWalletException(nft.mintAddress(), nft.walletAddress());
        }
    }

    /** A new burn transaction (fresh blockhash) for an upgrade still awaiting its burn; writes nothing. */
    BurnTransaction freshBurnTransaction(Caller caller, UUID id) {
        Upgrade u = queries.owned(caller, id);
        if (u.status() != AWAITING_BURN) {
            throw new Refusal.Conflicting("the upgrade is " + u.status().wireName() + ", not awaiting_burn");
        }
        return chain.prepareBurn(u.walletAddress(), u.currentNftMint());
    }

    /**
     * Verifies the submitted burn on chain and, if it is this upgrade's burn, moves to burn_verified
     * and hands the upgrade to the pipeline. Repeating the same confirmation answers the current state.
     */
    UpgradeView confirmBurn(Caller caller, UUID id, String signature) {
        if (!SolanaChain.isSignature(signature)) {
            throw new Refusal.Malformed("burnTxSignature must be a base58 transaction signature (64 bytes)");
        }
        if (!confirmBurnLimiter.tryAcquire(caller.userId(), System.nanoTime())) {
            throw new Refusal.Throttled(
                    "too many burn confirmations; retry in %d seconds".formatted(ConfirmBurnLimiter.REFILL.toSeconds()),
                    ConfirmBurnLimiter.REFILL);
        }
        Upgrade u = queries.owned(caller, id);
        if (signature.equals(u.burnTxSignature())) {
            return UpgradeView.of(u, json);
        }
        boolean lateBurn = u.status() == BURN_FAILED && BURN_TIMED_OUT.equals(u.failureReason());
        if (u.status() != AWAITING_BURN && !lateBurn) {
            throw new Refusal.Conflicting("the upgrade is " + u.status().wireName() + ", not awaiting_burn");
        }
        if (store.burnSignatureUsed(signature)) {
            throw new Refusal.Conflicting("this burn transaction already confirmed another upgrade");
        }
        BurnCheck check = verify(signature, u);
        try (MessageTracing.Scope step = upgradeTrace(u, "upgrade confirm-burn")) {
            return confirmed(u, signature, check, lateBurn);
        }
    }

    /** Records the chain's answer about the burn, in the upgrade's trace. */
    private UpgradeView confirmed(Upgrade u, String signature, BurnCheck check, boolean lateBurn) {
        UUID id = u.id();
        return switch (check) {
            case BurnCheck.NotFound() ->
                throw new Refusal.Unprocessable(
                        "no confirmed transaction with this signature; if you just sent it, retry in a few seconds");
            case BurnCheck.NotThisBurn(String reason) -> throw new Refusal.Unprocessable(reason);
            case BurnCheck.FailedOnChain(String error) -> {
                if (lateBurn) {
                    throw new Refusal.Unprocessable("the burn transaction failed on chain");
                }
                Upgrade failed = inTransaction(() -> store.move(
                        u,
                        new UpgradeEvent.BurnFailed(id, u.userId(), "the burn transaction failed on chain: " + error),
                        new Change.FailureReason("the burn transaction failed on chain"),
                        new Change.BurnSignature(signature)));
                yield UpgradeView.of(failed, json);
            }
            case BurnCheck.Verified v -> {
                Upgrade verified;
                try {
                    verified = inTransaction(() -> {
                        Upgrade moved = store.move(
                                u,
                                new UpgradeEvent.BurnVerified(id, u.userId(), signature, u.currentNftMint()),
                                new Change.BurnSignature(signature),
                                new Change.FailureReason(null));
                        pipeline.leaseInTransaction(moved.id());
                        return moved;
                    });
                } catch (DuplicateKeyException e) {
                    throw new Refusal.Conflicting(
                            lateBurn
                                    ? "you started another upgrade since; contact support with this burn signature"
                                    : "this burn transaction already confirmed another upgrade");
                }
                pipeline.drive(verified.id());
                yield UpgradeView.of(verified, json);
            }
        };
    }

    static final int MAX_BURN_LOOKUPS = 20;

    private final ConfirmBurnLimiter confirmBurnLimiter = new ConfirmBurnLimiter();

    private BurnCheck verify(String signature, Upgrade u) {
        Instant giveUp = Instant.now().plus(properties.solana().burnLookupWait());
        try {
            // Bounded twice: by the wait, and by a number of lookups (each may take up to the RPC
            // request timeout), so one confirm-burn makes at most MAX_BURN_LOOKUPS RPC calls.
            for (int lookup = 1; ; lookup++) {
                BurnCheck check = chain.verifyBurn(signature, u.walletAddress(), u.currentNftMint());
                if (!(check instanceof BurnCheck.NotFound)
                        || lookup >= MAX_BURN_LOOKUPS
                        || Instant.now().plusMillis(500).isAfter(giveUp)) {
                    return check;
                }
                // A burn sent a moment ago may not be at confirmed commitment yet (~1 s on mainnet).
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal.ShuttingDown("the service is shutting down; retry");
        }
    }

    UpgradeView cancel(Caller caller, UUID id) {
        Upgrade u = queries.owned(caller, id);
        if (u.status() == CANCELLED) {
            return UpgradeView.of(u, json);
        }
        if (u.status() != AWAITING_BURN) {
            throw new Refusal.Conflicting("only an upgrade awaiting its burn can be cancelled; this one is "
                    + u.status().wireName());
        }
        try (MessageTracing.Scope step = upgradeTrace(u, "upgrade cancel")) {
            return UpgradeView.of(
                    inTransaction(() -> store.move(
                            u,
                            new UpgradeEvent.UpgradeCancelled(id, u.userId(), "cancelled by the user"),
                            new Change.FailureReason("cancelled by the user"))),
                    json);
        }
    }

    /**
     * A span of the upgrade's own trace (the one its POST started, kept with the row) for a step a later
     * request or timer takes, linked to that request's or timer's trace (ADR 0036).
     */
    private MessageTracing.Scope upgradeTrace(Upgrade u, String name) {
        String caller = tracing.currentTraceParent();
        return tracing.continueTrace(u.traceParent(), name, null, caller).tag("aiw3.upgrade.id", u.id().toString());
    }

    /** Ends an upgrade whose burn deadline passed (the sweeper's call). */
    void expireBurn(UUID id) {
        store.find(id).filter(u -> u.status() == AWAITING_BURN).ifPresent(u -> {
            try (MessageTracing.Scope step = upgradeTrace(u, "upgrade burn deadline")) {
                inTransaction(() -> store.move(
                        u,
                        new UpgradeEvent.BurnFailed(id, u.userId(), BURN_TIMED_OUT),
                        new Change.FailureReason(BURN_TIMED_OUT)));
            } catch (StaleUpgradeException e) {
                // The user confirmed or cancelled in the meantime: nothing to expire.
            }
        });
    }

    private Upgrade inTransaction(java.util.function.Supplier<Upgrade> work) {
        try {
            return tx.execute(status -> work.get());
        } catch (StaleUpgradeException e) {
            throw new Refusal.Conflicting("the upgrade changed meanwhile; read it again");
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
