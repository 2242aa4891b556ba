package com.aiw3.events.upgrade;

import com.aiw3.events.EventSchema;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The lifecycle of one NFT upgrade (topic {@code nft-upgrade-events}, keyed by user). Each record is one
 * transition; {@link #status()} and {@link #progress()} are what the user's progress bar shows.
 */
public sealed interface UpgradeEvent extends NftLifecycleEvent {

    UUID upgradeId();

    @Override
    String userId();

    UpgradeStatus status();

    @Override
    default int progress() {
        return status().progress();
    }

    @Override
    default boolean terminal() {
        return status().terminal();
    }

    /** A requirement of the target tier (of the first tier, for a claim) and how far the user is from it. */
    record Requirement(String code, String description, long required, long actual) {}

    /**
     * The NFT minted by a completed upgrade or claim, with what a UI shows of it: its tier's benefits (name to the
     * value as displayed, e.g. {@code tradingFeeDiscount: "10%"}) and its image as an HTTP URL through the
     * platform's IPFS gateway ({@code metadataUri} and the metadata keep the {@code ipfs://} URIs). Events
     * written before these two fields read as no benefits and no image.
     */
    record MintedNft(
            String mintAddress,
            int tierId,
            String tierName,
            int level,
            String metadataUri,
            @Nullable String transactionSignature,
            Map<String, String> benefits,
            @Nullable String imageUrl) {

        public MintedNft {
            benefits = benefits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(benefits));
        }

        /** Without benefits and image. */
        public MintedNft(
                String mintAddress,
                int tierId,
                String tierName,
                int level,
                String metadataUri,
                @Nullable String transactionSignature) {
            this(mintAddress, tierId, tierName, level, metadataUri, transactionSignature, Map.of(), null);
        }
    }

    @EventSchema(summary = "A user asked to upgrade their NFT to a higher tier.", clientType = "nft_upgrade_status")
    record UpgradeInitiated(
            UUID upgradeId,
            String userId,
            String walletAddress,
            String currentNftMint,
            int fromTierId,
            int targetTierId)
            implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.INITIALIZING;
        }
    }

    @EventSchema(summary = "The user meets every requirement of the target tier.", clientType = "nft_upgrade_status")
    record QualificationVerified(UUID upgradeId, String userId, int targetTierId) implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.QUALIFICATION_VERIFIED;
        }
    }

    @EventSchema(
            summary = "The user does not meet the target tier's requirements; the upgrade ends.",
            clientType = "nft_upgrade_status")
    record QualificationFailed(UUID upgradeId, String userId, int targetTierId, List<Requirement> requirements)
            implements UpgradeEvent {
        public QualificationFailed {
            requirements = List.copyOf(requirements);
        }

        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.QUALIFICATION_FAILED;
        }
    }

    @EventSchema(
            summary = "The unsigned burn transaction of the current NFT is ready for the user's wallet to sign.",
            clientType = "nft_upgrade_status")
    record BurnTransactionPrepared(
            UUID upgradeId, String userId, String nftMint, String burnTransaction, Instant expiresAt)
            implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.AWAITING_BURN;
        }
    }

    @EventSchema(
            summary = "The burn transaction was found on chain, succeeded, and burned the user's current NFT.",
            clientType = "nft_upgrade_status")
    record BurnVerified(UUID upgradeId, String userId, String burnTxSignature, String nftMint) implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.BURN_VERIFIED;
        }
    }

    @EventSchema(
            summary = "No valid burn arrived in time, or the submitted one failed on chain; the upgrade ends.",
            clientType = "nft_upgrade_status")
    record BurnFailed(UUID upgradeId, String userId, String reason) implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.BURN_FAILED;
        }
    }

    @EventSchema(summary = "The new NFT's metadata is being uploaded to IPFS.", clientType = "nft_upgrade_status")
    record MetadataUploadStarted(UUID upgradeId, String userId) implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.UPLOADING_METADATA;
        }
    }

    @EventSchema(
            summary = "The metadata is stored on IPFS under a CID that matches the one computed locally.",
            clientType = "nft_upgrade_status")
    record MetadataUploaded(UUID upgradeId, String userId, String cid, String metadataUri) implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.METADATA_UPLOADED;
        }
    }

    @EventSchema(
            summary = "The system wallet is minting the new NFT at an address derived from the upgrade.",
            clientType = "nft_upgrade_status")
    record MintStarted(UUID upgradeId, String userId, String mintAddress) implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.MINTING_NEW_NFT;
        }
    }

    @EventSchema(
            summary = "The mint is confirmed; the user's records are being updated.",
            clientType = "nft_upgrade_status")
    record RecordsUpdateStarted(
            UUID upgradeId,
            String userId,
            String mintAddress,
            @Nullable String mintSignature) implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.UPDATING_RECORDS;
        }
    }

    @EventSchema(
            summary = "The upgrade is done: old NFT burned, new NFT active, activated badges consumed.",
            clientType = "nft_upgrade_status")
    record UpgradeCompleted(
            UUID upgradeId, String userId, int fromLevel, int toLevel, MintedNft newNft, List<String> consumedBadgeIds)
            implements UpgradeEvent {
        public UpgradeCompleted {
            consumedBadgeIds = List.copyOf(consumedBadgeIds);
        }

        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.COMPLETED;
        }
    }

    @EventSchema(summary = "The user cancelled the upgrade before burning.", clientType = "nft_upgrade_status")
    record UpgradeCancelled(UUID upgradeId, String userId, String reason) implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.CANCELLED;
        }
    }

    @EventSchema(
            summary = "A step gave up after its retries (metadata upload before any mint was sent).",
            clientType = "nft_upgrade_status")
    record UpgradeFailed(UUID upgradeId, String userId, UpgradeStatus failedAt, String reason) implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.FAILED;
        }

        @Override
        public int progress() {
            return failedAt.progress();
        }
    }

    @EventSchema(
            summary =
                    "CRITICAL: the old NFT is burned but the new one could not be minted; a compensation request is open.",
            clientType = "nft_upgrade_status")
    record MintFailedCritical(
            UUID upgradeId, String userId, UUID compensationRequestId, String burnTxSignature, String reason)
            implements UpgradeEvent {
        @Override
        public UpgradeStatus status() {
            return UpgradeStatus.MINT_FAILED_CRITICAL;
        }
    }
}
