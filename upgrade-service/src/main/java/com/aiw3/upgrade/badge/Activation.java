package com.aiw3.upgrade.badge;

import com.aiw3.events.realtime.BadgeActivationStatus;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One activation of one badge (ADR 0031), as stored.
 *
 * @param requirementsJson the user's standing against their next tier once the badge counted; null before
 */
record Activation(
        UUID id,
        String userId,
        UUID badgeId,
        String badgeCode,
        String badgeName,
        BadgeActivationStatus status,
        @Nullable String failureReason,
        @Nullable Integer targetTierId,
        @Nullable String requirementsJson,
        Instant createdAt,
        Instant updatedAt) {}
