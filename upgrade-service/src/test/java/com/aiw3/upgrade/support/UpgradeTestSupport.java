package com.aiw3.upgrade.support;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.serde.EventDeserializer;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.testing.TestHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.p2p.solanaj.core.Account;
import org.p2p.solanaj.utils.Base58;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the upgrade tests share: the JSON calls a client makes, and the events it can observe. */
public final class UpgradeTestSupport {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** The system wallet's key, generated per run: never a key in the repository. */
    public static final String SYSTEM_WALLET_KEY = Base58.encode(new Account().getSecretKey());

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

    /** Every upgrade event of {@code upgradeId} on nft-upgrade-events, in topic order. */
    public static List<UpgradeEvent> upgradeEvents(String brokers, UUID upgradeId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, EventDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<UpgradeEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, EventEnvelope<EventPayload>> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.NFT_UPGRADE_EVENTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().payload() instanceof UpgradeEvent event
                            && event.upgradeId().equals(upgradeId)) {
                        events.add(event);
                    }
                }
            }
        }
        return events;
    }
}
