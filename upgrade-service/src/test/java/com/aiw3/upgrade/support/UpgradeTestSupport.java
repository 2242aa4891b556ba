package com.aiw3.upgrade.support;

import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TopicContents;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.p2p.solanaj.core.Account;
import org.p2p.solanaj.utils.Base58;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the upgrade tests share: the JSON calls a client makes, and the events it can observe. */
public final class UpgradeTestSupport {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** The system wallet's key, generated per run: never a key in the repository. */
    public static final String SYSTEM_WALLET_KEY = Base58.encode(new Account().getSecretKey());

    /** The Metaplex metadata's update authority: a key apart from the system wallet. */
    public static final String UPDATE_AUTHORITY = new Account().getPublicKeyBase58();

    private UpgradeTestSupport() {}

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    public static HttpResponse<String> start(TestHttp http, String user, int tier, String... headers) {
        return http.sendAs("POST", "/api/v1/nft/upgrade", user, "", "{\"targetTierId\":" + tier + "}", headers);
    }

    public static HttpResponse<String> get(TestHttp http, String user, String path) {
        return http.sendAs("GET", path, user, "", null);
    }

    public static HttpResponse<String> confirmBurn(TestHttp http, String user, String upgradeId, String signature) {
        return http.sendAs(
                "PATCH",
                "/api/v1/nft/upgrade/" + upgradeId + "/confirm-burn",
                user,
                "",
                "{\"burnTxSignature\":\"" + signature + "\"}");
    }

    public static String status(TestHttp http, String user, String upgradeId) {
        return json(get(http, user, "/api/v1/nft/upgrade/" + upgradeId))
                .get("status")
                .asString();
    }

    /**
     * The wallet's part: decode the burn transaction the service prepared, sign it with the wallet key,
     * and make the RPC node report it as landed (balance 1 → 0). Returns the signature.
     */
    public static String signAndLand(SolanaRpcStub rpc, Holders.Holder holder, String burnTransactionBase64) {
        WireTransaction unsigned = WireTransaction.fromBase64(burnTransactionBase64);
        WireTransaction signed =
                WireTransaction.parse(unsigned.signedBy(0, holder.wallet().getSecretKey()));
        rpc.landed(signed, holder.tokenAccount(), holder.nftMint(), 1, 0, null);
        return signed.signature();
    }

    /** {@code POST /api/v1/nft/claim} as {@code user} signed in with {@code wallet}, with an empty body. */
    public static HttpResponse<String> claim(TestHttp http, String user, String wallet, String... headers) {
        return http.sendWithWallet("POST", "/api/v1/nft/claim", user, wallet, null, headers);
    }

    /** Every claim event of {@code claimId} on nft-upgrade-events, in topic order. */
    public static List<ClaimEvent> claimEvents(String brokers, UUID claimId) {
        return TopicContents.events(brokers, Topics.NFT_UPGRADE_EVENTS.name()).stream()
                .map(EventEnvelope::payload)
                .filter(p -> p instanceof ClaimEvent event && event.claimId().equals(claimId))
                .map(ClaimEvent.class::cast)
                .toList();
    }

    /** Every upgrade event of {@code upgradeId} on nft-upgrade-events, in topic order. */
    public static List<UpgradeEvent> upgradeEvents(String brokers, UUID upgradeId) {
        return TopicContents.events(brokers, Topics.NFT_UPGRADE_EVENTS.name()).stream()
                .map(EventEnvelope::payload)
                .filter(p ->
                        p instanceof UpgradeEvent event && event.upgradeId().equals(upgradeId))
                .map(UpgradeEvent.class::cast)
                .toList();
    }

    /**
     * The last upgrade event of {@code upgradeId} on nft-upgrade-events, once it is a {@code type}: the outbox
     * publishes after the transaction commits, so the event is awaited (up to 20 s).
     */
    public static <E extends UpgradeEvent> E lastUpgradeEvent(String brokers, UUID upgradeId, Class<E> type) {
        return lastEvent(() -> upgradeEvents(brokers, upgradeId), type);
    }

    /** The last claim event of {@code claimId} on nft-upgrade-events, once it is a {@code type} (up to 20 s). */
    public static <E extends ClaimEvent> E lastClaimEvent(String brokers, UUID claimId, Class<E> type) {
        return lastEvent(() -> claimEvents(brokers, claimId), type);
    }

    private static <E> E lastEvent(Callable<? extends List<?>> events, Class<E> type) {
        return type.cast(await().atMost(Duration.ofSeconds(20)).until(() -> last(events.call()), type::isInstance));
    }

    private static @Nullable Object last(List<?> events) {
        return events.isEmpty() ? null : events.getLast();
    }
}
