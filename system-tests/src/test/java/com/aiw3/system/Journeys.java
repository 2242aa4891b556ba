package com.aiw3.system;

import static org.awaitility.Awaitility.await;

import com.aiw3.events.upgrade.UpgradeStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** The steps of an upgrade as a user's app takes them, shared by the journey, fault and load tests. */
final class Journeys {

    /** Whether a status (its wire name) ends the upgrade; {@code ""} (no answer yet) does not. */
    static boolean isTerminal(String status) {
        return Arrays.stream(UpgradeStatus.values())
                .anyMatch(s -> s.terminal() && s.wireName().equals(status));
    }

    private Journeys() {}

    static String uniqueUser(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A signed-in user who holds a tier-1 NFT and qualifies for tier 2. */
    static User holder(Platform platform, String prefix) throws Exception {
        User user = User.signIn(platform, uniqueUser(prefix));
        user.receiveTierOneNft();
        return user;
    }

    /** Requests the upgrade, has the wallet sign and send the burn, confirms it: returns the upgrade id. */
    static String upgradeThroughBurn(User user) throws Exception {
        JsonNode upgrade = user.requestUpgrade();
        String id = upgrade.path("upgradeId").asString();
        String signature = user.signAndSendBurn(upgrade);
        User.Reply confirmed = user.confirmBurn(id, signature);
        if (confirmed.status() / 100 != 2) {
            throw new IllegalStateException("confirm-burn: " + confirmed);
        }
        return id;
    }

    static String awaitTerminal(User user, String upgradeId, Duration within) {
        String[] status = new String[1];
        await().atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
            status[0] = user.upgradeStatus(upgradeId);
            return isTerminal(status[0]);
        });
        return status[0];
    }

    /** The audit log's records of one upgrade, oldest first (operator API). */
    static List<JsonNode> auditRecords(User operator, String upgradeId) throws Exception {
        JsonNode page = operator.get("/api/v1/audit/events?size=500&upgradeId=" + upgradeId)
                .json();
        return List.copyOf(page.path("items").valueStream().toList());
    }
}
