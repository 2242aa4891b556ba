package com.aiw3.notification.intake;

import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.notification.Priority;
import com.aiw3.events.realtime.EventCategory;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.UpgradeEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The notifications that upgrades, claims and badges imply. Their ids are derived from the upgrade event's id, so a
 * redelivered event is the same notification.
 */
final class UpgradeNotifications {

    private UpgradeNotifications() {}

    static UUID idFor(UUID eventId, String purpose) {
        return UUID.nameUUIDFromBytes((purpose + ":" + eventId).getBytes(StandardCharsets.UTF_8));
    }

    static Optional<NotificationRequested> forUser(UUID eventId, UpgradeEvent event) {
        Map<String, String> data = Map.of(
                "upgradeId",
                event.upgradeId().toString(),
                "status",
                event.status().wireName());
        return Optional.ofNullable(
                switch (event) {
                    case UpgradeEvent.UpgradeCompleted done ->
                        request(
                                eventId,
                                event,
                                Priority.MEDIUM,
                                "upgrade_completed",
                                "Your NFT is now " + done.newNft().tierName(),
                                "Your upgrade to level " + done.toLevel() + " is complete. Enjoy your new benefits.",
                                data);
                    case UpgradeEvent.BurnFailed failed ->
                        request(
                                eventId,
                                event,
                                Priority.MEDIUM,
                                "upgrade_burn_failed",
                                "Your NFT upgrade did not go through",
                                "No burn was confirmed (" + failed.reason()
                                        + "). Your NFT is unchanged; you can start again.",
                                data);
                    case UpgradeEvent.MintFailedCritical critical ->
                        request(
                                eventId,
                                event,
                                Priority.HIGH,
                                "upgrade_mint_delayed",
                                "Your new NFT is delayed",
                                "Your old NFT was burned and minting the new one failed. Our team has been alerted and"
                                        + " will complete it; nothing is lost.",
                                data);
                    case UpgradeEvent.UpgradeFailed failed ->
                        request(
                                eventId,
                                event,
                                Priority.HIGH,
                                "upgrade_failed",
                                "Your NFT upgrade needs our attention",
                                "A step failed after your burn ("
                                        + failed.failedAt().wireName() + "). Our team will complete it.",
                                data);
                    default -> null;
                });
    }

    /** The user's notifications of a first-NFT claim: claimed, or held up for an operator. */
    static Optional<NotificationRequested> forClaim(UUID eventId, ClaimEvent event) {
        Map<String, String> data = Map.of(
                "claimId", event.claimId().toString(), "status", event.status().wireName());
        return Optional.ofNullable(
                switch (event) {
                    case ClaimEvent.NftClaimed claimed ->
                        new NotificationRequested(
                                idFor(eventId, "user"),
                                event.userId(),
                                Priority.MEDIUM,
                                EventCategory.NFT,
                                "nft_claimed",
                                "Your " + claimed.nft().tierName() + " NFT is in your wallet",
                                "Your first AIW3 NFT (level " + claimed.nft().level() + ") was minted to your wallet.",
                                data);
                    case ClaimEvent.ClaimFailed failed ->
                        new NotificationRequested(
                                idFor(eventId, "user"),
                                event.userId(),
                                Priority.HIGH,
                                EventCategory.NFT,
                                "claim_delayed",
                                "Your NFT claim is delayed",
                                "A step of your claim failed ("
                                        + failed.failedAt().wireName()
                                        + "). Our team has been alerted and will complete it.",
                                data);
                    default -> null;
                });
    }

    static NotificationRequested forBadge(UUID eventId, com.aiw3.events.realtime.UserEvent.BadgeEarned badge) {
        return new NotificationRequested(
                idFor(eventId, "user"),
                badge.userId(),
                Priority.LOW,
                EventCategory.NFT,
                "badge_earned",
                "You earned the " + badge.name() + " badge",
                badge.message(),
                Map.of("badgeId", badge.badgeId()));
    }

    /** The support team's alert for a critical mint failure. */
    static NotificationRequested supportAlert(UUID eventId, UpgradeEvent.MintFailedCritical critical) {
        return new NotificationRequested(
                idFor(eventId, "support"),
                "aiw3-support",
                Priority.HIGH,
                EventCategory.SYSTEM,
                "support_alert",
                "mint_failed_critical for upgrade " + critical.upgradeId(),
                "The old NFT is burned but the new one was not minted. Retry the mint:"
                        + " POST /api/v1/nft/admin/upgrades/" + critical.upgradeId() + "/retry-mint",
                Map.of(
                        "details",
                        "user: " + critical.userId() + "\nupgrade: " + critical.upgradeId() + "\ncompensation request: "
                                + critical.compensationRequestId() + "\nburn: " + critical.burnTxSignature()
                                + "\nreason: " + critical.reason()));
    }

    private static NotificationRequested request(
            UUID eventId,
            UpgradeEvent event,
            Priority priority,
            String template,
            String title,
            String body,
            Map<String, String> data) {
        return new NotificationRequested(
                idFor(eventId, "user"), event.userId(), priority, EventCategory.NFT, template, title, body, data);
    }
}
