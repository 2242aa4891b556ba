package com.aiw3.upgrade.upgrade;

import com.aiw3.events.upgrade.ClaimStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One row of {@code nft_claims}: a first-NFT claim as persisted, at one version. */
record Claim(
        UUID id,
        String userId,
        String walletAddress,
        int tierId,
        ClaimStatus status,
        int version,
        @Nullable String requirements,
        @Nullable String metadataCid,
        @Nullable String metadataUri,
        @Nullable String mintAddress,
        @Nullable String mintSignature,
        @Nullable String failureReason,
        Instant createdAt,
        Instant updatedAt,
        @Nullable String traceParent)
        implements ProcessRows.Row<ClaimStatus> {

    boolean ownedBy(String user) {
        return userId.equals(user);
    }

    /** The derived mint address, recorded when minting starts: every step from there on has it. */
    String recordedMintAddress() {
        return Objects.requireNonNull(mintAddress, () -> "claim " + id + " has no mint address yet");
    }

    /** The metadata URI, recorded when the upload is done: minting and later steps have it. */
    String uploadedMetadataUri() {
        return Objects.requireNonNull(metadataUri, () -> "claim " + id + " has no metadata URI yet");
    }
}
