package com.aiw3.upgrade.upgrade;

import com.aiw3.events.EventIds;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.ClaimStatus;
import com.aiw3.messaging.RetryPolicy;
import com.aiw3.upgrade.UpgradeProperties;
import com.aiw3.upgrade.badge.BadgeAwards;
import com.aiw3.upgrade.chain.SolanaChain;
import com.aiw3.upgrade.metadata.MetadataStore;
import com.aiw3.upgrade.metadata.MetadataUploadException;
import com.aiw3.upgrade.metadata.NftMetadata;
import com.aiw3.upgrade.tier.Tier;
import com.aiw3.upgrade.tier.TierArtwork;
import com.aiw3.upgrade.tier.Tiers;
import com.aiw3.upgrade.upgrade.ProcessRows.Change;
import com.aiw3.upgrade.upgrade.RetryThenCompensate.AttemptFailed;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives a qualified claim to completed, one persisted step at a time, with the upgrade's pieces: the
 * {@link ProcessDriver} and leases, the metadata on IPFS with the tier's pinned artwork, the
 * {@link ExactlyOnceMint} by the system wallet to the user's wallet, and {@link RetryThenCompensate}. A claim
 * burns nothing, so a step that gives up leaves the claim {@code failed} with a compensation request for an
 * operator's retry (ADR 0030). Completion creates the user's active holding, so a later upgrade starts from it.
 */
@Component
class ClaimPipeline extends ProcessDriver.Pipeline<Claim> {

    private static final Logger log = LoggerFactory.getLogger(ClaimPipeline.class);

    private final ClaimStore store;
    private final Compensations compensations;
    private final SolanaChain chain;
    private final MetadataStore metadata;
    private final Tiers tiers;
    private final TierArtwork artwork;
    private final BadgeAwards awards;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final UpgradeProperties properties;
    private final MeterRegistry meters;
    private final RetryThenCompensate retrying;
    private final ExactlyOnceMint mint;
    private final MintedNfts minted;

    ClaimPipeline(
            ClaimStore store,
            Compensations compensations,
            SolanaChain chain,
            MetadataStore metadata,
            Tiers tiers,
            TierArtwork artwork,
            BadgeAwards awards,
            JdbcClient jdbc,
            TransactionTemplate tx,
            UpgradeProperties properties,
            MeterRegistry meters,
            ProcessDriver driver,
            RetryThenCompensate retrying,
            ExactlyOnceMint mint,
            MintedNfts minted) {
        super(driver);
        this.store = store;
        this.compensations = compensations;
        this.chain = chain;
        this.metadata = metadata;
        this.tiers = tiers;
        this.artwork = artwork;
        this.awards = awards;
        this.jdbc = jdbc;
        this.tx = tx;
        this.properties = properties;
        this.meters = meters;
        this.retrying = retrying;
        this.mint = mint;
        this.minted = minted;
    }

    @Override
    ProcessRows<Claim, ClaimStatus> rows() {
        return store.rows();
    }

    @Override
    Claim step(Claim c) throws InterruptedException {
        UUID id = c.id();
        return switch (c.status()) {
            case QUALIFICATION_VERIFIED -> move(c, new ClaimEvent.ClaimMetadataUploadStarted(id, c.userId()));
            case UPLOADING_METADATA -> uploadMetadata(c);
            case METADATA_UPLOADED -> {
                String address = chain.mintAddressFor(id);
                yield move(
                        c, new ClaimEvent.ClaimMintStarted(id, c.userId(), address), new Change.MintAddress(address));
            }
            case MINTING_NFT -> mint(c);
            case MINT_CONFIRMED -> {
                Claim done = tx.execute(status -> complete(c));
                meters.counter("aiw3.upgrade.claim.completed").increment();
                yield done;
            }
            default -> throw new IllegalStateException("not an in-flight claim status: " + c.status());
        };
    }

    private Tier tier(Claim c) {
        return tiers.byId(c.tierId()).orElseThrow();
    }

    private Claim uploadMetadata(Claim c) throws InterruptedException {
        NftMetadata nft = UpgradePipeline.metadataOf(
                tier(c), artwork.contentType(), List.of(new NftMetadata.Attribute("Claim", c.id().toString())));
        byte[] content = metadata.serialize(nft);
        RetryPolicy retry = properties.metadataRetry();
        return retrying.run(retry, new Step<>(c) {
            @Override
            public Claim attempt(int attempt) throws AttemptFailed {
                try {
                    String cid = metadata.upload(content);
                    String uri = "ipfs://" + cid;
                    return move(
                            c,
                            new ClaimEvent.ClaimMetadataUploaded(c.id(), c.userId(), cid, uri),
                            new Change.Metadata(cid, uri));
                } catch (MetadataUploadException e) {
                    throw new AttemptFailed(e.getMessage());
                }
            }

            @Override
            public void failed(int attempt, String error) {
                log.warn("claim {}: metadata upload attempt {} failed: {}", c.id(), attempt, error);
                meters.counter("aiw3.upgrade.metadata.upload.failures").increment();
            }

            @Override
            public Claim compensate(String lastError) {
                return giveUp(
                        c,
                        ClaimStatus.UPLOADING_METADATA,
                        "claim_metadata_upload_failed",
                        "metadata upload gave up after %d attempts: %s".formatted(retry.maxAttempts(), lastError));
            }
        });
    }

    private Claim mint(Claim started) throws InterruptedException {
        RetryPolicy retry = properties.mintRetry();
        return retrying.run(retry, new Step<>(started) {
            /** The claim as last persisted: a key rotation records a new mint address on it. */
            private Claim c = started;

            @Override
            public Claim attempt(int attempt) throws AttemptFailed, InterruptedException {
                return minted(mint.attempt(mintTarget(c), ClaimPipeline.this::rekey));
            }

            private Claim minted(ExactlyOnceMint.Minted<Claim> minted) {
                c = minted.process();
                @Nullable String signature = minted.signature();
                return move(
                        c,
                        new ClaimEvent.ClaimMintConfirmed(c.id(), c.userId(), c.recordedMintAddress(), signature),
                        signature == null ? new Change[0] : new Change[] {new Change.MintSignature(signature)});
            }

            @Override
            public void failed(int attempt, String error) {
                log.warn("claim {}: mint attempt {} failed: {}", started.id(), attempt, error);
                meters.counter("aiw3.upgrade.mint.failures").increment();
            }

            @Override
            public Claim compensate(String lastError) {
                String error = lastError;
                try {
                    Optional<ExactlyOnceMint.Minted<Claim>> late = mint.landedLate(mintTarget(c));
                    if (late.isPresent()) {
                        return minted(late.get());
                    }
                } catch (AttemptFailed e) {
                    error = e.getMessage();
                }
                return giveUp(
                        c,
                        ClaimStatus.MINTING_NFT,
                        "claim_mint_failed",
                        "mint gave up after %d attempts: %s".formatted(retry.maxAttempts(), error));
            }
        });
    }

    /** Gives up: the claim fails with a compensation request for an operator, in one transaction. */
    private Claim giveUp(Claim c, ClaimStatus at, String kind, String reason) {
        Claim failed = tx.execute(status -> {
            UUID compensation = compensations.open(c, kind, reason);
            return store.move(
                    c,
                    new ClaimEvent.ClaimFailed(c.id(), c.userId(), at, compensation, reason),
                    new Change.FailureReason(reason));
        });
        meters.counter("aiw3.upgrade.claim.failed", "step", at.wireName()).increment();
        log.error("claim {} gave up at {}; a compensation request is open: {}", c.id(), at.wireName(), reason);
        return failed;
    }

    /**
     * The last step, in one transaction: the NFT becomes the user's active holding, any compensation is
     * resolved, the claim completes, and the badges for completed claims are earned.
     */
    private Claim complete(Claim c) {
        Tier tier = tier(c);
        jdbc.sql("""
                        insert into user_nfts (id, user_id, wallet_address, tier_id, mint_address, status, metadata_uri,
                            mint_signature, claim_id)
                        values (:id, :user, :wallet, :tier, :mint, 'active', :uri, :signature, :claim)""")
                .param("id", EventIds.next())
                .param("user", c.userId())
                .param("wallet", c.walletAddress())
                .param("tier", tier.id())
                .param("mint", c.recordedMintAddress())
                .param("uri", c.uploadedMetadataUri())
                .param("signature", c.mintSignature())
                .param("claim", c.id())
                .update();
        compensations.resolve(c.id());
        Claim completed = store.move(
                c,
                new ClaimEvent.NftClaimed(
                        c.id(),
                        c.userId(),
                        c.walletAddress(),
                        minted.of(tier, c.recordedMintAddress(), c.uploadedMetadataUri(), c.mintSignature())));
        awards.afterClaim(c.id(), c.userId());
        return completed;
    }

    private Claim move(Claim c, ClaimEvent event, Change... changes) {
        return tx.execute(status -> store.move(c, event, changes));
    }

    /** The claim as the exactly-once mint sees it. */
    private ExactlyOnceMint.Target<Claim> mintTarget(Claim c) {
        Tier tier = tier(c);
        return new ExactlyOnceMint.Target<>(
                c,
                c.id(),
                MintAttempts.Of.CLAIM,
                c.walletAddress(),
                c.recordedMintAddress(),
                c.uploadedMetadataUri(),
                new SolanaChain.NftName(UpgradePipeline.nftName(tier), tier.symbol()));
    }

    /** After a key rotation: the current key's address recorded on the claim (in the caller's transaction). */
    private ExactlyOnceMint.Target<Claim> rekey(Claim claim, String address) {
        return mintTarget(store.replaceMintAddress(claim, address));
    }
}
