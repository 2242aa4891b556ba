package com.aiw3.upgrade.upgrade;

import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.events.upgrade.UpgradeStatus;
import com.aiw3.messaging.RetryPolicy;
import com.aiw3.upgrade.UpgradeProperties;
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
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives an upgrade from burn_verified to completed, one persisted step at a time, on a virtual
 * thread. Each step reads the upgrade's state, does its work, and persists the next state with its
 * event, so a crash between steps resumes at the last persisted one (see {@link UpgradeSweeper}).
 *
 * <p>The metadata names the target tier's artwork on IPFS: while that artwork is not pinned, the
 * upgrade waits in uploading_metadata (its lease released, no attempt spent) and the sweeper resumes it
 * until the artwork is pinned; nothing is ever written with an image that is not on IPFS.
 *
 * <p>Only the instance holding an upgrade's lease drives it. The mint is safe to resume: every attempt
 * is recorded before it is sent, and the chain is asked about the recorded attempts (and the derived
 * mint account) before a new one is signed.
 */
@Component
class UpgradePipeline extends ProcessDriver.Pipeline<Upgrade> {

    private static final Logger log = LoggerFactory.getLogger(UpgradePipeline.class);

    private final UpgradeStore store;
    private final UpgradeRecords records;
    private final Compensations compensations;
    private final SolanaChain chain;
    private final MetadataStore metadata;
    private final Tiers tiers;
    private final TierArtwork artwork;
    private final TransactionTemplate tx;
    private final UpgradeProperties properties;
    private final MeterRegistry meters;
    private final RetryThenCompensate retrying;
    private final ExactlyOnceMint mint;

    UpgradePipeline(
            UpgradeStore store,
            UpgradeRecords records,
            Compensations compensations,
            SolanaChain chain,
            MetadataStore metadata,
            Tiers tiers,
            TierArtwork artwork,
            TransactionTemplate tx,
            UpgradeProperties properties,
            MeterRegistry meters,
            ProcessDriver driver,
            RetryThenCompensate retrying,
            ExactlyOnceMint mint) {
        super(driver);
        this.store = store;
        this.records = records;
        this.compensations = compensations;
        this.chain = chain;
        this.metadata = metadata;
        this.tiers = tiers;
        this.artwork = artwork;
        this.tx = tx;
        this.properties = properties;
        this.meters = meters;
        this.retrying = retrying;
        this.mint = mint;
    }

    @Override
    ProcessRows<Upgrade, UpgradeStatus> rows() {
        return store.rows();
    }

    /** Does one step and returns the upgrade as persisted after it. */
    @Override
    Upgrade step(Upgrade u) throws InterruptedException {
        UUID id = u.id();
        return switch (u.status()) {
            case BURN_VERIFIED -> move(u, new UpgradeEvent.MetadataUploadStarted(id, u.userId()));
            case UPLOADING_METADATA -> uploadMetadata(u);
            case METADATA_UPLOADED -> {
                String mint = chain.mintAddressFor(id);
                yield move(u, new UpgradeEvent.MintStarted(id, u.userId(), mint), new Change.MintAddress(mint));
            }
            case MINTING_NEW_NFT -> mint(u);
            case UPDATING_RECORDS -> {
                Upgrade done = tx.execute(status -> records.complete(u));
                meters.counter("aiw3.upgrade.completed").increment();
                yield done;
            }
            default -> throw new IllegalStateException("not an in-flight status: " + u.status());
        };
    }

    private Upgrade uploadMetadata(Upgrade u) throws InterruptedException {
        Tier to = tiers.byId(u.targetTierId()).orElseThrow();
        if (to.imageUri() == null) {
            throw new ArtworkNotPinnedException(to);
        }
        byte[] content = metadata.serialize(metadataOf(u));
        RetryPolicy retry = properties.metadataRetry();
        return retrying.run(retry, new Step<>(u) {
            @Override
            public Upgrade attempt(int attempt) throws AttemptFailed {
                try {
                    String cid = metadata.upload(content);
                    String uri = "ipfs://" + cid;
                    return move(
                            u,
                            new UpgradeEvent.MetadataUploaded(u.id(), u.userId(), cid, uri),
                            new Change.Metadata(cid, uri));
                } catch (MetadataUploadException e) {
                    throw new AttemptFailed(e.getMessage());
                }
            }

            @Override
            public void failed(int attempt, String error) {
                log.warn("upgrade {}: metadata upload attempt {} failed: {}", u.id(), attempt, error);
                meters.counter("aiw3.upgrade.metadata.upload.failures").increment();
            }

            @Override
            public Upgrade compensate(String lastError) {
                String reason =
                        "metadata upload gave up after %d attempts: %s".formatted(retry.maxAttempts(), lastError);
                Upgrade failed = tx.execute(status -> {
                    compensations.open(u, "metadata_upload_failed", reason);
                    return store.move(
                            u,
                            new UpgradeEvent.UpgradeFailed(
                                    u.id(), u.userId(), UpgradeStatus.UPLOADING_METADATA, reason),
                            new Change.FailureReason(reason));
                });
                meters.counter("aiw3.upgrade.failed", "step", "uploading_metadata")
                        .increment();
                return failed;
            }
        });
    }

    /** The new NFT's metadata; its image is the target tier's pinned artwork. */
    NftMetadata metadataOf(Upgrade u) {
        Tier to = tiers.byId(u.targetTierId()).orElseThrow();
        Tier from = tiers.byId(u.fromTierId()).orElseThrow();
        return metadataOf(
                to,
                artwork.contentType(),
                List.of(
                        new NftMetadata.Attribute("Upgraded From", from.name()),
                        new NftMetadata.Attribute("Upgrade", u.id().toString())));
    }

    /**
     * The metadata of an NFT of tier {@code to} (an upgrade's or a claim's); its image is the tier's pinned
     * artwork, and {@code provenance} names the process that minted it.
     */
    static NftMetadata metadataOf(Tier to, String contentType, List<NftMetadata.Attribute> provenance) {
        String image = to.imageUri();
        if (image == null) {
            throw new ArtworkNotPinnedException(to);
        }
        List<NftMetadata.Attribute> attributes = new java.util.ArrayList<>(
                List.of(new NftMetadata.Attribute("Level", to.level()), new NftMetadata.Attribute("Tier", to.name())));
        attributes.addAll(provenance);
        return new NftMetadata(
                nftName(to),
                to.symbol(),
                to.description(),
                image,
                null,
                attributes,
                new NftMetadata.Properties("image", List.of(new NftMetadata.File(image, contentType))));
    }

    static String nftName(Tier tier) {
        return "AIW3 " + tier.name();
    }

    private Upgrade mint(Upgrade started) throws InterruptedException {
        RetryPolicy retry = properties.mintRetry();
        return retrying.run(retry, new Step<>(started) {
            /** The upgrade as last persisted: a key rotation records a new mint address on it. */
            private Upgrade u = started;

            @Override
            public Upgrade attempt(int attempt) throws AttemptFailed, InterruptedException {
                return minted(mint.attempt(mintTarget(u), UpgradePipeline.this::rekey));
            }

            private Upgrade minted(ExactlyOnceMint.Minted<Upgrade> minted) {
                u = minted.process();
                return recordsUpdate(u, minted.signature());
            }

            @Override
            public void failed(int attempt, String error) {
                log.warn("upgrade {}: mint attempt {} failed: {}", started.id(), attempt, error);
                meters.counter("aiw3.upgrade.mint.failures").increment();
            }

            @Override
            public Upgrade compensate(String lastError) {
                String error = lastError;
                try {
                    Optional<ExactlyOnceMint.Minted<Upgrade>> late = mint.landedLate(mintTarget(u));
                    if (late.isPresent()) {
                        return minted(late.get());
                    }
                } catch (AttemptFailed e) {
                    error = e.getMessage();
                }
                String reason = "mint gave up after %d attempts: %s".formatted(retry.maxAttempts(), error);
                Upgrade failing = u;
                Upgrade critical = tx.execute(status -> {
                    UUID compensation = compensations.open(failing, "mint_failure_after_burn", reason);
                    return store.move(
                            failing,
                            new UpgradeEvent.MintFailedCritical(
                                    failing.id(),
                                    failing.userId(),
                                    compensation,
                                    failing.verifiedBurnSignature(),
                                    reason),
                            new Change.FailureReason(reason));
                });
                meters.counter("aiw3.upgrade.failed", "step", "minting_new_nft").increment();
                log.error(
                        "CRITICAL: upgrade {} burned the old NFT but could not mint the new one: {}",
                        failing.id(),
                        reason);
                return critical;
            }
        });
    }

    /** The upgrade as the exactly-once mint sees it. */
    private ExactlyOnceMint.Target<Upgrade> mintTarget(Upgrade u) {
        Tier to = tiers.byId(u.targetTierId()).orElseThrow();
        return new ExactlyOnceMint.Target<>(
                u,
                u.id(),
                MintAttempts.Of.UPGRADE,
                u.walletAddress(),
                u.mintAddress(),
                u.uploadedMetadataUri(),
                new SolanaChain.NftName(nftName(to), to.symbol()));
    }

    /** After a key rotation: the current key's address recorded on the upgrade (in the caller's transaction). */
    private ExactlyOnceMint.Target<Upgrade> rekey(Upgrade upgrade, String address) {
        return mintTarget(store.replaceMintAddress(upgrade, address));
    }

    private Upgrade recordsUpdate(Upgrade u, @Nullable String signature) {
        return move(
                u,
                new UpgradeEvent.RecordsUpdateStarted(u.id(), u.userId(), u.mintAddress(), signature),
                signature == null ? new Change[0] : new Change[] {new Change.MintSignature(signature)});
    }

    private Upgrade move(Upgrade u, UpgradeEvent event, Change... changes) {
        return tx.execute(status -> store.move(u, event, changes));
    }
}
