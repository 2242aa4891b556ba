package com.aiw3.upgrade;

import static com.aiw3.upgrade.support.UpgradeTestSupport.get;
import static com.aiw3.upgrade.support.UpgradeTestSupport.json;
import static com.aiw3.upgrade.support.UpgradeTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.serde.EventCodec;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.trading.TradingEvent.TradeRecorded;
import com.aiw3.testing.TopicContents;
import com.aiw3.upgrade.support.Holders.Holder;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Trades published on {@code trading-activity} as the trading platform does, consumed by the running
 * service against real PostgreSQL and an embedded broker.
 */
@StubbedChainService
class TradeIntakeIntegrationTest extends StubbedChainTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant EXECUTED = Instant.parse("2026-11-23T10:15:30.123456Z");

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Autowired
    @Qualifier("rawEventKafkaTemplate")
    KafkaTemplate<String, byte[]> rawKafka;

    @Autowired
    MeterRegistry meters;

    private static EventEnvelope<TradeRecorded> trade(String user, String amount) {
        return trade("trade-" + UUID.randomUUID(), user, amount);
    }

    private static EventEnvelope<TradeRecorded> trade(String tradeId, String user, String amount) {
        return EventEnvelope.of(new TradeRecorded(tradeId, user, new BigDecimal(amount), EXECUTED), "trading-platform");
    }

    private void publish(EventEnvelope<?>... events) {
        for (EventEnvelope<?> event : events) {
            kafka.send(Topics.TRADING_ACTIVITY.name(), event.key(), event);
        }
        kafka.flush();
    }

    private void publishRaw(String user, String envelopeJson) {
        rawKafka.send(Topics.TRADING_ACTIVITY.name(), user, envelopeJson.getBytes(StandardCharsets.UTF_8));
        rawKafka.flush();
    }

    private boolean recorded(String tradeId) {
        return jdbc.sql("select exists (select 1 from trades where trade_id = ?)")
                .param(tradeId)
                .query(Boolean.class)
                .single();
    }

    /** The user's volume and trade count; zero and zero while no trade of theirs is known. */
    private Volume volume(String user) {
        return jdbc.sql("select volume_usd, trade_count from user_trading_volume where user_id = ?")
                .param(user)
                .query((rs, row) -> new Volume(rs.getBigDecimal("volume_usd"), rs.getLong("trade_count")))
                .optional()
                .orElse(new Volume(BigDecimal.ZERO, 0));
    }

    private record Volume(BigDecimal usd, long trades) {}

    private double counter(String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private JsonNode qualificationForTier2(String user) {
        HttpResponse<String> response = get(http, user, "/api/v1/nft/qualification?targetTierId=2");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static long volumeStanding(JsonNode qualification) {
        for (JsonNode requirement : qualification.get("requirements")) {
            if (requirement.get("code").asString().equals("TRADING_VOLUME_USD")) {
                return requirement.get("actual").asLong();
            }
        }
        throw new AssertionError("no volume requirement in " + qualification);
    }

    @Test
    void aUserWithNoRecordedVolumeQualifiesForTheNextTierOnceTheirTradesAddUpToItsVolume() {
        Holder holder = holders.withoutTrades(1, 2);
        String user = holder.userId();
        JsonNode before = qualificationForTier2(user);
        assertThat(before.get("qualified").asBoolean()).isFalse();
        assertThat(volumeStanding(before)).isZero();
        double recordedBefore = counter("aiw3.upgrade.trades.recorded");

        publish(trade(user, "200000.00"), trade(user, "250000.25"), trade(user, "49999.74"));

        await().atMost(WAIT).until(() -> volume(user).trades() == 3);
        // 499,999.99 USD: one cent short of tier 2's 500,000.
        assertThat(volume(user).usd()).isEqualByComparingTo("499999.99");
        JsonNode short1Cent = qualificationForTier2(user);
        assertThat(short1Cent.get("qualified").asBoolean()).isFalse();
        assertThat(volumeStanding(short1Cent)).isEqualTo(499_999);

        publish(trade(user, "0.01"));

        await().atMost(WAIT)
                .until(() -> qualificationForTier2(user).get("qualified").asBoolean());
        assertThat(volume(user)).isEqualTo(new Volume(new BigDecimal("500000.00000000"), 4));
        assertThat(volumeStanding(qualificationForTier2(user))).isEqualTo(500_000);
        assertThat(counter("aiw3.upgrade.trades.recorded") - recordedBefore).isEqualTo(4);
        // Qualification for the upgrade itself reads the same volume.
        HttpResponse<String> upgrade = start(http, user, 2);
        assertThat(upgrade.statusCode()).as(upgrade.body()).isEqualTo(202);
        assertThat(json(upgrade).get("status").asString()).isEqualTo("awaiting_burn");
    }

    @Test
    void aTradeDeliveredAgainOrPublishedAgainUnderANewEventIdCountsOnce() {
        String user = "trader-" + UUID.randomUUID();
        EventEnvelope<TradeRecorded> first = trade(user, "1234.56789012");
        EventEnvelope<TradeRecorded> republished =
                EventEnvelope.of(first.payload(), "trading-platform"); // same trade, new event id
        assertThat(republished.eventId()).isNotEqualTo(first.eventId());
        double duplicatesBefore = counter("aiw3.upgrade.trades.duplicates");
        EventEnvelope<TradeRecorded> after = trade(user, "10");

        publish(first, first, republished, after);

        // One partition per user: the trade published after the copies is applied after them.
        await().atMost(WAIT).until(() -> recorded(after.payload().tradeId()));
        assertThat(volume(user)).isEqualTo(new Volume(new BigDecimal("1244.56789012"), 2));
        assertThat(counter("aiw3.upgrade.trades.duplicates") - duplicatesBefore).isEqualTo(2);
        assertThat(TopicContents.records(brokers, Topics.TRADING_ACTIVITY.deadLetterName()))
                .noneMatch(r -> r.key().equals(user));
    }

    @Test
    void aTradeWithANegativeOrAbsurdAmountIsDeadLetteredWithItsReasonAndCountsNothing() {
        String user = "trader-" + UUID.randomUUID();
        String valid = EventCodec.DEFAULT.writeString(trade("bad-" + UUID.randomUUID(), user, "777"));
        String negative = valid.replace("\"amountUsd\":777", "\"amountUsd\":-777")
                .replaceFirst("\"tradeId\":\"bad-", "\"tradeId\":\"negative-");
        String absurd = valid.replace("\"amountUsd\":777", "\"amountUsd\":5000000000000")
                .replaceFirst("\"tradeId\":\"bad-", "\"tradeId\":\"absurd-");
        assertThat(negative).contains("-777").isNotEqualTo(valid);
        assertThat(absurd).contains("5000000000000");
        EventEnvelope<TradeRecorded> after = trade(user, "25.50");

        publishRaw(user, negative);
        publishRaw(user, absurd);
        publish(after);

        await().atMost(WAIT).until(() -> recorded(after.payload().tradeId()));
        List<ConsumerRecord<String, byte[]>> deadLetters = await().atMost(WAIT)
                .until(
                        () -> TopicContents.records(brokers, Topics.TRADING_ACTIVITY.deadLetterName()).stream()
                                .filter(r -> user.equals(r.key()))
                                .toList(),
                        list -> list.size() == 2);
        assertThat(deadLetters)
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly(negative, absurd);
        // The reason travels with the dead letter: the record's own validation, in the exception's trace.
        assertThat(header(deadLetters.get(0), "kafka_dlt-exception-stacktrace"))
                .contains("payload of TradeRecorded does not fit its schema")
                .contains("amountUsd must be positive: -777");
        assertThat(header(deadLetters.get(1), "kafka_dlt-exception-stacktrace"))
                .contains("amountUsd above 1000000000: 5000000000000");
        assertThat(volume(user)).isEqualTo(new Volume(new BigDecimal("25.50000000"), 1));
        assertThat(jdbc.sql("select count(*) from trades where user_id = ?")
                        .param(user)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aTradeIdReusedForAnotherTradeIsDeadLetteredAndTheFirstTradeStands() {
        String user = "trader-" + UUID.randomUUID();
        String other = "trader-" + UUID.randomUUID();
        String tradeId = "trade-" + UUID.randomUUID();
        EventEnvelope<TradeRecorded> first = trade(tradeId, user, "100");
        // The same trade id again, for another user and amount.
        EventEnvelope<TradeRecorded> reused = trade(tradeId, other, "900");
        EventEnvelope<TradeRecorded> otherAfter = trade(other, "1");

        publish(first);
        await().atMost(WAIT).until(() -> recorded(tradeId));
        publish(reused, otherAfter);

        await().atMost(WAIT).until(() -> recorded(otherAfter.payload().tradeId()));
        await().atMost(WAIT)
                .until(() -> TopicContents.records(brokers, Topics.TRADING_ACTIVITY.deadLetterName()).stream()
                        .anyMatch(r -> other.equals(r.key())
                                && header(r, "kafka_dlt-exception-message").contains(tradeId)));
        assertThat(volume(user)).isEqualTo(new Volume(new BigDecimal("100.00000000"), 1));
        assertThat(volume(other)).isEqualTo(new Volume(new BigDecimal("1.00000000"), 1));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
