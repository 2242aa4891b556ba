package com.aiw3.upgrade.upgrade;

import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A first-NFT claim as the API shows it to its owner. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ClaimView(
        UUID claimId,
        String status,
        int progress,
        int tierId,
        int level,
        String walletAddress,
        String eventsUrl,
        @Nullable List<Requirement> requirements,
        @Nullable String metadataUri,
        @Nullable String mintAddress,
        @Nullable String mintSignature,
        @Nullable String failureReason,
        Instant createdAt,
        Instant updatedAt) {

    static final String PATH = "/api/v1/nft/claims/%s";
    static final String EVENTS_PATH = PATH + "/events";

    static ClaimView of(Claim c, int level, JsonMapper json) {
        List<Requirement> requirements = c.requirements() == null
                ? null
                : json.readValue(c.requirements(), new TypeReference<List<Requirement>>() {});
        return new ClaimView(
                c.id(),
                c.status().wireName(),
                c.status().progress(),
                c.tierId(),
                level,
                c.walletAddress(),
                EVENTS_PATH.formatted(c.id()),
                requirements,
                c.metadataUri(),
                c.mintAddress(),
                c.mintSignature(),
                c.failureReason(),
                c.createdAt(),
                c.updatedAt());
    }
}
