package com.aiw3.upgrade.upgrade;

import com.aiw3.events.upgrade.UpgradeStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One row of {@code upgrade_requests}: the upgrade as persisted, at one version. */
record Upgrade(
        UUID id,
        String userId,
        String walletAddress,
        UUID currentNftId,
        String currentNftMint,
        int fromTierId,
        int targetTierId,
        UpgradeStatus status,
        int version,
        @Nullable String requirements,
        @Nullable String burnTransaction,
        @Nullable Instant burnDeadline,
        @Nullable String burnTxSignature,
        @Nullable String metadataCid,
        @Nullable String metadataUri,
        @Nullable String newMintAddress,
        @Nullable String mintSignature,
        @Nullable String failureReason,
        Instant createdAt,
        Instant updatedAt,
        @Nullable String traceParent)
        implements ProcessRows.Row<UpgradeStatus> {

    /** A new upgrade, before anything is persisted. */
    static Upgrade initial(
            UUID id, String userId, String wallet, UUID nftId, String nftMint, int fromTierId, int targetTierId) {
        Instant now = Instant.now();
        return new Upgrade(
                id,
                userId,
                wallet,
                nftId,
                nftMint,
                fromTierId,
                targetTierId,
                UpgradeStatus.INITIALIZING,
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                now,
                now,
                null);
    }

    boolean ownedBy(String user) {
        return userId.equals(user);
    }

    /** The derived mint address, recorded when minting starts: every step from there on has it. */
    String mintAddress() {
        return Objects.requireNonNull(newMintAddress, () -> "upgrade " + id + " has no mint address yet");
    }

    /** The metadata URI, recorded when the upload is done: minting and later steps have it. */
    String uploadedMetadataUri() {
        return Objects.requireNonNull(metadataUri, () -> "upgrade " + id + " has no metadata URI yet");
    }

    /** The burn's signature, recorded when the burn is verified: every step after it has it. */
    String verifiedBurnSignature() {
        return Objects.requireNonNull(burnTxSignature, () -> "upgrade " + id + " has no verified burn yet");
    }
}
