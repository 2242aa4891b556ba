package com.aiw3.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aiw3.events.catalog.EventCatalog;
import com.aiw3.events.catalog.EventType;
import com.aiw3.events.serde.EventCodec;
import com.aiw3.events.serde.MalformedEventException;
import com.aiw3.events.serde.Upcaster;
import com.aiw3.events.topic.Topic;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.events.upgrade.UpgradeStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    private final EventCodec codec = EventCodec.DEFAULT;

    static Stream<EventType<?>> everyType() {
        return EventCatalog.DEFAULT.types().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void everyEventTypeSurvivesARoundTripUnchanged(EventType<?> type) {
        EventEnvelope<?> sent = EventEnvelope.of(SampleEvents.sample(type.payloadClass()), "test");

        EventEnvelope<EventPayload> received = codec.read(codec.write(sent));

        assertThat(received).isEqualTo(sent);
        assertThat(received.payload()).isInstanceOf(type.payloadClass());
    }

    @Test
    void statusesAndInstantsAreWrittenInTheirWireForm() {
        var event = new UpgradeEvent.UpgradeFailed(
                UUID.randomUUID(), "user-1", UpgradeStatus.MINTING_NEW_NFT, "mint retries exhausted");
        String json = codec.writeString(EventEnvelope.of(event, "upgrade-service"));

        assertThat(json)
                .contains("\"failedAt\":\"minting_new_nft\"")
                .containsPattern("\"occurredAt\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\"")
                .contains("\"key\":\"user-1\"");
        assertThat(event.progress()).isEqualTo(80);
    }

    @Test
    void readerIgnoresFieldsAddedByANewerProducer() {
        var event = new UpgradeEvent.BurnFailed(UUID.randomUUID(), "user-2", "timeout");
        String json = codec.writeString(EventEnvelope.of(event, "upgrade-service"))
                .replace("\"reason\":\"timeout\"", "\"reason\":\"timeout\",\"addedLater\":{\"x\":1}")
                .replace("\"source\":", "\"newEnvelopeField\":true,\"source\":");

        EventEnvelope<EventPayload> read = codec.read(json.getBytes(StandardCharsets.UTF_8));

        assertThat(read.payload()).isEqualTo(event);
    }

    @Test
    void anUpgradeCompletedWrittenWithoutBenefitsAndImageReadsAsNoBenefitsAndNoImage() {
        var written = new UpgradeEvent.UpgradeCompleted(
                UUID.randomUUID(),
                "user-4",
                1,
                2,
                new UpgradeEvent.MintedNft(
                        "mint", 2, "Quant Ape", 2, "ipfs://meta", "sig", Map.of("tradingFeeDiscount", "10%"), "x"),
                List.of());
        String json = codec.writeString(EventEnvelope.of(written, "upgrade-service"))
                .replace(",\"benefits\":{\"tradingFeeDiscount\":\"10%\"}", "")
                .replace(",\"imageUrl\":\"x\"", "");
        assertThat(json).doesNotContain("benefits").doesNotContain("imageUrl");

        var read = (UpgradeEvent.UpgradeCompleted)
                codec.read(json.getBytes(StandardCharsets.UTF_8)).payload();

        assertThat(read.newNft().benefits()).isEmpty();
        assertThat(read.newNft().imageUrl()).isNull();
        assertThat(read.newNft().tierName()).isEqualTo("Quant Ape");
    }

    @Test
    void unknownTypeIsKeptVerbatimInsteadOfFailing() {
        String json = """
                {"eventId":"%s","type":"SomethingFromTheFuture","version":3,"occurredAt":"2026-11-23T10:00:00Z",
                 "key":"user-9","correlationId":"%s","causationId":null,"source":"future-service",
                 "payload":{"a":1}}""".formatted(EventIds.next(), EventIds.next());

        EventEnvelope<EventPayload> read = codec.read(json.getBytes(StandardCharsets.UTF_8));

        assertThat(read.payload()).isEqualTo(new UnknownEvent("user-9", "{\"a\":1}"));
        assertThat(read.type()).isEqualTo("SomethingFromTheFuture");
    }

    @Test
    void poisonRecordsAreRejectedWithAReason() {
        assertThatThrownBy(() -> codec.read("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> codec.read("{\"type\":\"BurnFailed\",\"version\":1,\"payload\":{}}".getBytes()))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> codec.read(new byte[0])).isInstanceOf(MalformedEventException.class);
        String wrongPayload = codec.writeString(
                        EventEnvelope.of(new UpgradeEvent.BurnFailed(UUID.randomUUID(), "u", "r"), "s"))
                .replaceFirst("\"upgradeId\":\"[^\"]+\"", "\"upgradeId\":\"not-a-uuid\"");
        assertThatThrownBy(() -> codec.read(wrongPayload.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("BurnFailed");
    }

    sealed interface Evolving extends EventPayload {
        /** Version 1 had {@code name}; version 2 renamed it {@code displayName} and added {@code level}. */
        @EventSchema(version = 2, summary = "test")
        record ProfileRenamed(String userId, String displayName, int level) implements Evolving {
            @Override
            public String partitionKey() {
                return userId;
            }
        }
    }

    @Test
    void olderVersionsAreUpcastToTheCurrentRecord() {
        var topic = new Topic("evolving-events", Evolving.class, 1, Duration.ofDays(1), "user", "test");
        var upcaster = new Upcaster("ProfileRenamed", 1, node -> {
            node.set("displayName", node.remove("name"));
            node.put("level", 1);
            return node;
        });
        var evolvingCodec = new EventCodec(new EventCatalog(List.of(topic)), List.of(upcaster));
        String v1 = """
                {"eventId":"%s","type":"ProfileRenamed","version":1,"occurredAt":"2026-11-23T10:00:00Z",
                 "key":"user-3","correlationId":"%s","source":"old-service","payload":{"userId":"user-3","name":"Ada"}}""".formatted(EventIds.next(), EventIds.next());

        EventEnvelope<EventPayload> read = evolvingCodec.read(v1.getBytes(StandardCharsets.UTF_8));

        assertThat(read.payload()).isEqualTo(new Evolving.ProfileRenamed("user-3", "Ada", 1));
    }

    @Test
    void aVersionWithoutUpcasterIsRejectedRatherThanMisread() {
        var topic = new Topic("evolving-events", Evolving.class, 1, Duration.ofDays(1), "user", "test");
        var strictCodec = new EventCodec(new EventCatalog(List.of(topic)), List.of());
        String v1 = """
                {"eventId":"%s","type":"ProfileRenamed","version":1,"occurredAt":"2026-11-23T10:00:00Z",
                 "key":"user-3","correlationId":"%s","source":"old","payload":{"userId":"user-3","name":"Ada"}}""".formatted(EventIds.next(), EventIds.next());

        assertThatThrownBy(() -> strictCodec.read(v1.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("no upcaster");
    }
}
