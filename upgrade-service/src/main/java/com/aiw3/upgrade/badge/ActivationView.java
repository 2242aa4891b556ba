package com.aiw3.upgrade.badge;

import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * An activation as the API answers it: its step ({@code status}, {@code progress}), where to follow it
 * ({@code eventsUrl}), and once the badge counted, the caller's standing against their next tier.
 */
record ActivationView(
        UUID activationId,
        String badgeCode,
        String badgeName,
        String status,
        int progress,
        @Nullable String failureReason,
        @Nullable Integer targetTierId,
        List<Requirement> requirements,
        String eventsUrl,
        Instant createdAt,
        Instant updatedAt) {

    private static final TypeReference<List<Requirement>> REQUIREMENTS = new TypeReference<>() {};

    static String eventsUrl(UUID activationId) {
        return "/api/v1/badges/activations/" + activationId + "/events";
    }

    static ActivationView of(Activation a, JsonMapper json) {
        return new ActivationView(
                a.id(),
                a.badgeCode(),
                a.badgeName(),
                a.status().wireName(),
                a.status().progress(),
                a.failureReason(),
                a.targetTierId(),
                a.requirementsJson() == null ? List.of() : json.readValue(a.requirementsJson(), REQUIREMENTS),
                eventsUrl(a.id()),
                a.createdAt(),
                a.updatedAt());
    }
}
