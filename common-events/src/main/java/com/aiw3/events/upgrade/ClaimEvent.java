package com.aiw3.events.upgrade;

import com.aiw3.events.EventSchema;
import com.aiw3.events.upgrade.UpgradeEvent.MintedNft;
import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The lifecycle of one first-NFT claim (topic {@code nft-upgrade-events}, keyed by user): the level-1 NFT
 * minted by the system wallet to the wallet the user signed in with. Each record is one transition;
 * {@link #status()} and {@link #progress()} are what the user's progress bar shows.
 */
public sealed interface ClaimEvent extends NftLifecycleEvent {

    UUID claimId();

    @Override
    String userId();

    ClaimStatus status();

    @Override
    default int progress() {
        return status().progress();
    }

    @Override
    default boolean terminal() {
        return status().terminal();
    }

    @EventSchema(
            summary = "A user asked for their first NFT, to the wallet they signed in with.",
            clientType = "nft_claim_status")
    record ClaimInitiated(UUID claimId, String userId, String walletAddress, int tierId) implements ClaimEvent {
        @Override
        public ClaimStatus status() {
            return ClaimStatus.INITIALIZING;
        }
    }

    @EventSchema(summary = "The user meets every requirement of the first tier.", clientType = "nft_claim_status")
    record ClaimQualificationVerified(UUID claimId, String userId, int tierId) implements ClaimEvent {
        @Override
        public ClaimStatus status() {
            return ClaimStatus.QUALIFICATION_VERIFIED;
        }
    }

    @EventSchema(
            summary = "The user does not meet the first tier's requirements; the claim ends and does not count.",
            clientType = "nft_claim_status")
    record ClaimQualificationFailed(UUID claimId, String userId, int tierId, List<Requirement> requirements)
            implements ClaimEvent {
        public ClaimQualificationFailed {
            requirements = List.copyOf(requirements);
        }

        @Override
        public ClaimStatus status() {
            return ClaimStatus.QUALIFICATION_FAILED;
        }
    }

    @EventSchema(summary = "The claimed NFT's metadata is being uploaded to IPFS.", clientType = "nft_claim_status")
    record ClaimMetadataUploadStarted(UUID claimId, String userId) implements ClaimEvent {
        @Override
        public ClaimStatus status() {
            return ClaimStatus.UPLOADING_METADATA;
        }
    }

    @EventSchema(
            summary = "The claimed NFT's metadata is stored on IPFS under a CID that matches the one computed locally.",
            clientType = "nft_claim_status")
    record ClaimMetadataUploaded(UUID claimId, String userId, String cid, String metadataUri) implements ClaimEvent {
        @Override
        public ClaimStatus status() {
            return ClaimStatus.METADATA_UPLOADED;
        }
    }

    @EventSchema(
            summary = "The system wallet is minting the claimed NFT at an address derived from the claim.",
            clientType = "nft_claim_status")
    record ClaimMintStarted(UUID claimId, String userId, String mintAddress) implements ClaimEvent {
        @Override
        public ClaimStatus status() {
            return ClaimStatus.MINTING_NFT;
        }
    }

    @EventSchema(
            summary = "The claimed NFT's mint is confirmed on chain; the user's records are being updated.",
            clientType = "nft_claim_status")
    record ClaimMintConfirmed(
            UUID claimId,
            String userId,
            String mintAddress,
            @Nullable String mintSignature) implements ClaimEvent {
        @Override
        public ClaimStatus status() {
            return ClaimStatus.MINT_CONFIRMED;
        }
    }

    @EventSchema(
            summary = "The claim is done: the level-1 NFT is in the user's wallet and is the user's active NFT.",
            clientType = "nft_claim_status")
    record NftClaimed(UUID claimId, String userId, String walletAddress, MintedNft nft) implements ClaimEvent {
        @Override
        public ClaimStatus status() {
            return ClaimStatus.COMPLETED;
        }
    }

    @EventSchema(
            summary = "The metadata upload or the mint gave up after its retries; a compensation request is open"
                    + " and an operator retries the claim.",
            clientType = "nft_claim_status")
    record ClaimFailed(UUID claimId, String userId, ClaimStatus failedAt, UUID compensationRequestId, String reason)
            implements ClaimEvent {
        @Override
        public ClaimStatus status() {
            return ClaimStatus.FAILED;
        }

        @Override
        public int progress() {
            return failedAt.progress();
        }
    }
}
