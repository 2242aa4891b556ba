package com.aiw3.sse.stream;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.catalog.EventCatalog;
import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.serde.EventCodec;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.ClaimStatus;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.events.upgrade.UpgradeStatus;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a browser receives: {@code {type, message, data, timestamp}} for every event, plus
 * {@code upgradeId, status, progress} on upgrade events, which the frontend's upgrade hook reads, and
 * {@code claimId, status, progress} on claim events and {@code activationId, status, progress} on the steps of a
 * badge activation. No {@code event:}
 * name is set, so {@code EventSource.onmessage} sees every event.
 */
final class ClientEvents {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Map<UpgradeStatus, String> MESSAGES = Map.ofEntries(
            Map.entry(UpgradeStatus.INITIALIZING, "Starting NFT upgrade process..."),
            Map.entry(UpgradeStatus.QUALIFICATION_VERIFIED, "Qualification verified successfully"),
            Map.entry(UpgradeStatus.QUALIFICATION_FAILED, "You do not meet the requirements of this tier yet"),
            Map.entry(UpgradeStatus.AWAITING_BURN, "Please sign the burn transaction in your wallet"),
            Map.entry(UpgradeStatus.BURN_VERIFIED, "Old NFT burned successfully"),
            Map.entry(UpgradeStatus.BURN_FAILED, "The burn could not be confirmed"),
            Map.entry(UpgradeStatus.UPLOADING_METADATA, "Uploading new NFT metadata to IPFS..."),
            Map.entry(UpgradeStatus.METADATA_UPLOADED, "Metadata uploaded successfully"),
            Map.entry(UpgradeStatus.MINTING_NEW_NFT, "Minting new NFT to your wallet..."),
            Map.entry(UpgradeStatus.UPDATING_RECORDS, "Updating your records..."),
            Map.entry(UpgradeStatus.COMPLETED, "NFT upgrade completed successfully!"),
            Map.entry(UpgradeStatus.CANCELLED, "Upgrade cancelled"),
            // Only the metadata upload fails this way, after the burn: the upgrade stays open for the team to finish.
            Map.entry(
                    UpgradeStatus.FAILED,
                    "Your old NFT is burned and the new one is delayed. Our team has been notified and will complete"
                            + " your upgrade."),
            Map.entry(
                    UpgradeStatus.MINT_FAILED_CRITICAL,
                    "A technical issue occurred during minting. Our team has been notified and will resolve it shortly."));
    private static final Map<ClaimStatus, String> CLAIM_MESSAGES = Map.ofEntries(
            Map.entry(ClaimStatus.INITIALIZING, "Starting your NFT claim..."),
            Map.entry(ClaimStatus.QUALIFICATION_VERIFIED, "Qualification verified successfully"),
            Map.entry(ClaimStatus.QUALIFICATION_FAILED, "You do not meet the requirements of the first tier yet"),
            Map.entry(ClaimStatus.UPLOADING_METADATA, "Uploading your NFT metadata to IPFS..."),
            Map.entry(ClaimStatus.METADATA_UPLOADED, "Metadata uploaded successfully"),
            Map.entry(ClaimStatus.MINTING_NFT, "Minting your NFT to your wallet..."),
            Map.entry(ClaimStatus.MINT_CONFIRMED, "Mint confirmed; updating your records..."),
            Map.entry(ClaimStatus.COMPLETED, "Your first NFT is in your wallet!"),
            Map.entry(
                    ClaimStatus.FAILED,
                    "A technical issue stopped your claim. Our team has been notified and will complete it shortly."));

    private ClientEvents() {}

    static String data(EventEnvelope<EventPayload> event) {
        ObjectNode out = JSON.createObjectNode();
        String type = EventCatalog.typeOf(event.payload().getClass()).clientType();
        out.put("type", type);
        switch (event.payload()) {
            case UpgradeEvent upgrade -> {
                out.put("message", MESSAGES.get(upgrade.status()));
                out.put("upgradeId", upgrade.upgradeId().toString());
                out.put("status", upgrade.status().wireName());
                out.put("progress", upgrade.progress());
            }
            case ClaimEvent claim -> {
                out.put("message", CLAIM_MESSAGES.get(claim.status()));
                out.put("claimId", claim.claimId().toString());
                out.put("status", claim.status().wireName());
                out.put("progress", claim.progress());
            }
            case UserEvent.BadgeActivationStep step
            when step.activationId() != null -> {
                out.put("message", step.message());
                out.put("activationId", step.activationId().toString());
                out.put("status", step.status().wireName());
                out.put("progress", step.progress());
            }
            case UserEvent user -> out.put("message", user.message());
            case BroadcastEvent broadcast -> out.put("message", broadcast.message());
            default -> out.put("message", "");
        }
        out.set("data", JSON.readTree(EventCodec.DEFAULT.writePayload(event.payload())));
        out.put("timestamp", event.occurredAt().toString());
        return JSON.writeValueAsString(out);
    }

    /**
     * A stream's first event; {@code data.instance} names the sse-gateway instance that serves it (the one to look
     * at in its logs and metrics), a JSON string as {@link #instanceJson} made it.
     */
    static String connectionEstablished(String instanceJson) {
        return "{\"type\":\"connection_established\",\"message\":\"Real-time events connected\",\"data\":{\"instance\":"
                + instanceJson + "},\"timestamp\":\"" + Instant.now() + "\"}";
    }

    /** An instance id as a JSON string, made once per instance. */
    static String instanceJson(String instanceId) {
        return JSON.writeValueAsString(instanceId);
    }

    /**
     * The last event of a stream the server ends on purpose: the client should reconnect (EventSource does so
     * by itself after the {@code retry:} hint) and resume with its Last-Event-ID. {@code reason} is
     * {@code max_lifetime} or {@code draining}.
     */
    static String reconnect(String reason) {
        return "{\"type\":\"reconnect\",\"message\":\"Reconnect to continue receiving events\",\"data\":{\"reason\":\""
                + reason + "\"},\"timestamp\":\"" + Instant.now() + "\"}";
    }

    /**
     * The last event of a stream whose sign-in ended: {@code session_expired} (its token expired: refresh it,
     * then reconnect with the Last-Event-ID) or {@code logged_out} (the user signed out: the token and the
     * session cookie are refused from then on). {@code data.reason} repeats the type.
     */
    static String sessionEnded(String reason) {
        String message = SESSION_EXPIRED.equals(reason)
                ? "Your session has expired: refresh it to continue receiving events"
                : "You signed out: this stream has ended";
        return "{\"type\":\"" + reason + "\",\"message\":\"" + message + "\",\"data\":{\"reason\":\"" + reason
                + "\"},\"timestamp\":\"" + Instant.now() + "\"}";
    }

    /**
     * The last event of a stream the user's newer streams replaced: at most {@code limit} streams per user across
     * every instance, the oldest ended ({@code data.reason} {@code too_many_streams}). The client should stop this
     * stream rather than reconnect it, which would end the user's next oldest.
     */
    static String evicted(int limit) {
        return "{\"type\":\"stream_evicted\",\"message\":\"A newer stream of yours replaced this one\","
                + "\"data\":{\"reason\":\"too_many_streams\",\"limit\":" + limit + "},\"timestamp\":\""
                + Instant.now() + "\"}";
    }

    static final String SESSION_EXPIRED = "session_expired";
    static final String LOGGED_OUT = "logged_out";

    /** The real-time category of an event: upgrades are NFT events, broadcasts are system events. */
    static com.aiw3.events.realtime.EventCategory category(EventEnvelope<EventPayload> event) {
        return switch (event.payload()) {
            case UserEvent user -> user.category();
            case BroadcastEvent broadcast -> broadcast.category();
            default -> com.aiw3.events.realtime.EventCategory.NFT;
        };
    }
}
