package com.aiw3.upgrade.upgrade;

import com.aiw3.events.EventIds;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.ClaimStatus;
import com.aiw3.upgrade.chain.SolanaChain;
import com.aiw3.upgrade.tier.FirstTierQualification;
import com.aiw3.upgrade.tier.QualificationRules;
import com.aiw3.upgrade.tier.Tiers;
import com.aiw3.upgrade.upgrade.ProcessRows.Change;
import com.aiw3.web.Caller;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first-NFT claim (ADR 0027, ADR 0030): a user's claim of the level-1 NFT to the wallet they signed in
 * with, their claim read back, and an operator's retry. Every refusal is a {@link Refusal} with nothing
 * written; a claim is qualified or not in the transaction that creates it.
 */
@Component
class ClaimCommands {

    private final ClaimStore store;
    private final ClaimPipeline pipeline;
    private final QualificationRules qualification;
    private final Compensations compensations;
    private final Tiers tiers;
    private final TransactionTemplate tx;
    private final JsonMapper json;

    ClaimCommands(
            ClaimStore store,
            ClaimPipeline pipeline,
            QualificationRules qualification,
            Compensations compensations,
            Tiers tiers,
            TransactionTemplate tx,
            JsonMapper json) {
        this.store = store;
        this.pipeline = pipeline;
        this.qualification = qualification;
        this.compensations = compensations;
        this.tiers = tiers;
        this.tx = tx;
        this.json = json;
    }

    record Started(ClaimView claim, boolean replayed) {}

    /**
     * Starts a claim: initializing → qualification_verified (then the pipeline uploads the metadata and
     * mints), or initializing → qualification_failed, which does not count as the user's or the wallet's
     * claim. Refused, with nothing written, for a caller without a wallet, a user who has a claim (done or in
     * progress) or holds an NFT, and a wallet that has received (or is receiving) a claimed NFT.
     */
    Started start(Caller caller, @Nullable String idempotencyKey) {
        String user = caller.userId();
        Optional<Started> replay = replay(user, idempotencyKey);
        if (replay.isPresent()) {
            return replay.get();
        }
        String wallet = caller.wallet()
                .orElseThrow(() -> new Refusal.NoWallet(
                        "you signed in without a wallet; sign in with the wallet that is to receive your first NFT"));
        if (!SolanaChain.isAddress(wallet)) {
            throw new Refusal.NoWallet("the wallet you signed in with is not a Solana address");
        }
        refuseSecondClaim(user, wallet);
        if (qualification.currentNft(user).isPresent()) {
            throw new Refusal.Conflicting("you hold an NFT already; a claim is for a first NFT");
        }
        FirstTierQualification q = qualification.evaluateFirstTier(user);
        UUID id = EventIds.next();
        int tier = q.tier().id();
        Claim created;
        try {
            created = tx.execute(status -> {
                Claim c = store.create(new ClaimEvent.ClaimInitiated(id, user, wallet, tier));
                if (q.qualified()) {
                    c = store.move(
                            c,
                            new ClaimEvent.ClaimQualificationVerified(id, user, tier),
                            new Change.Requirements(q.requirements()));
                    pipeline.leaseInTransaction(id);
                } else {
                    c = store.move(
                            c,
                            new ClaimEvent.ClaimQualificationFailed(id, user, tier, q.missing()),
                            new Change.Requirements(q.requirements()),
                            new Change.FailureReason("the first tier's requirements are not met"));
                }
                if (idempotencyKey != null) {
                    store.rememberIdempotent(user, idempotencyKey, id);
                }
                return c;
            });
        } catch (DuplicateKeyException e) {
            // A concurrent claim of the same user or wallet (or the same key) won the race.
            replay = replay(user, idempotencyKey);
            if (replay.isPresent()) {
                return replay.get();
            }
            refuseSecondClaim(user, wallet);
            throw new Refusal.Conflicting("your claim changed meanwhile; read it again");
        }
        if (created.status() == ClaimStatus.QUALIFICATION_VERIFIED) {
            pipeline.drive(id);
        }
        return new Started(view(created), false);
    }

    private Optional<Started> replay(String user, @Nullable String idempotencyKey) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        return store.idempotent(user, idempotencyKey).flatMap(store::find).map(claim -> new Started(view(claim), true));
    }

    /** Once per user and once per wallet, ever (ADR 0027). */
    private void refuseSecondClaim(String user, String wallet) {
        Optional<Claim> ofUser = store.claimOfUser(user);
        if (ofUser.isPresent()) {
            Claim claim = ofUser.get();
            throw new Refusal.AlreadyClaimed(
                    claim.status() == ClaimStatus.COMPLETED
                            ? "you have claimed your first NFT already: a claim is allowed once"
                            : "your claim is in progress (" + claim.status().wireName() + "): a claim is allowed once",
                    claim.id());
        }
        Optional<Claim> ofWallet = store.claimOfWallet(wallet);
        if (ofWallet.isPresent()) {
            Claim claim = ofWallet.get();
            throw new Refusal.AlreadyClaimed(
                    "the wallet " + wallet + " has received a claimed NFT already: a claim is allowed once per wallet",
                    claim.ownedBy(user) ? claim.id() : null);
        }
    }

    /** Another user's claim answers exactly like a missing one. */
    ClaimView view(Caller caller, UUID id) {
        return view(store.find(id)
                .filter(c -> c.ownedBy(caller.userId()))
                .orElseThrow(() -> new Refusal.Missing("no claim " + id)));
    }

    /**
     * An operator's retry of a claim that gave up after its retries: from the metadata upload if it failed
     * there, else the mint only (the same derived mint address, so never a second NFT).
     */
    ClaimView retry(Caller operator, UUID id) {
        operator.requireRole(Caller.OPERATOR);
        Claim c = store.find(id).orElseThrow(() -> new Refusal.Missing("no claim " + id));
        if (c.status() != ClaimStatus.FAILED) {
            throw new Refusal.Conflicting(
                    "only failed claims are retried; this one is " + c.status().wireName());
        }
        ClaimEvent restart = c.metadataUri() == null
                ? new ClaimEvent.ClaimMetadataUploadStarted(id, c.userId())
                : new ClaimEvent.ClaimMintStarted(id, c.userId(), c.recordedMintAddress());
        Claim restarted;
        try {
            restarted = tx.execute(status -> {
                Claim moved = store.move(c, restart, new Change.FailureReason(null), new Change.LeaseReleased());
                compensations.retrying(id);
                pipeline.leaseInTransaction(id);
                return moved;
            });
        } catch (StaleUpgradeException e) {
            throw new Refusal.Conflicting("the claim changed meanwhile; read it again");
        }
        pipeline.drive(id);
        return view(restarted);
    }

    private ClaimView view(Claim claim) {
        return ClaimView.of(claim, tiers.byId(claim.tierId()).orElseThrow().level(), json);
    }
}
