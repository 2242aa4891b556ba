package com.aiw3.upgrade.upgrade;

import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** An upgrade as the API shows it to its owner. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record UpgradeView(
        UUID upgradeId,
        String status,
        int progress,
        int fromTierId,
        int targetTierId,
        String eventsUrl,
        @Nullable String burnTransaction,
        @Nullable Instant burnDeadline,
        @Nullable String burnTxSignature,
        @Nullable List<Requirement> requirements,
        @Nullable String metadataUri,
        @Nullable String newMintAddress,
        @Nullable String mintSignature,
        @Nullable String failureReason,
        Instant createdAt,
        Instant updatedAt) {

    static final String EVENTS_PATH = "/api/v1/nft/upgrade/%s/events";

    static UpgradeView of(Upgrade u, JsonMapper json) {
        List<Requirement> requirements = u.requirements() == null
                ? null
                : json.readValue(u.requirements(), new TypeReference<List<Requirement>>() {});
        return new UpgradeView(
                u.id(),
                u.status().wireName(),
                u.status().progress(),
                u.fromTierId(),
                u.targetTierId(),
                EVENTS_PATH.formatted(u.id()),
                u.burnTransaction(),
                u.burnDeadline(),
                u.burnTxSignature(),
                requirements,
                u.metadataUri(),
                u.newMintAddress(),
                u.mintSignature(),
                u.failureReason(),
                u.createdAt(),
                u.updatedAt());
    }
}
