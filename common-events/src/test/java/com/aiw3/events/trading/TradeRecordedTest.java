package com.aiw3.events.trading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.events.EventPayload;
import com.aiw3.events.catalog.EventCatalog;
import com.aiw3.events.serde.EventCodec;
import com.aiw3.events.serde.MalformedEventException;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.trading.TradingEvent.TradeRecorded;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TradeRecordedTest {

    private static final Instant EXECUTED = Instant.parse("2026-11-23T10:15:30.123Z");

    private static TradeRecorded trade(String amount) {
        return new TradeRecorded("trade-1", "user-1", new BigDecimal(amount), EXECUTED);
    }

    @Test
    void aTradeIsOnTheTradingActivityTopicKeyedByItsUser() {
        var event = EventEnvelope.of(trade("150.25"), "trading-platform");

        assertThat(event.topic()).isEqualTo(Topics.TRADING_ACTIVITY);
        assertThat(Topics.TRADING_ACTIVITY.name()).isEqualTo("trading-activity");
        assertThat(event.key()).isEqualTo("user-1");
        assertThat(event.type()).isEqualTo("TradeRecorded");
        assertThat(event.version()).isEqualTo(1);
        assertThat(EventCatalog.reachesClients(event.payload())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.01", "1", "12345.12345678", "1000000000", "1000000000.00000000", "0.00000001"})
    void positiveAmountsUpToOneBillionWithAtMostEightDecimalsAreTrades(String amount) {
        assertThat(trade(amount).amountUsd()).isEqualByComparingTo(amount);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "-5", "-0.01", "1000000000.01", "1e12", "0.000000001"})
    void zeroNegativeAbsurdOrOverPreciseAmountsAreNoTrade(String amount) {
        assertThatThrownBy(() -> trade(amount))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amountUsd");
    }

    @Test
    void idsAreRequiredNonBlankAndBounded() {
        BigDecimal one = BigDecimal.ONE;
        assertThatThrownBy(() -> new TradeRecorded(" ", "u", one, EXECUTED)).hasMessageContaining("tradeId");
        assertThatThrownBy(() -> new TradeRecorded("t", "", one, EXECUTED)).hasMessageContaining("userId");
        assertThatThrownBy(() -> new TradeRecorded(" t", "u", one, EXECUTED)).hasMessageContaining("tradeId");
        assertThatThrownBy(() -> new TradeRecorded("t".repeat(129), "u", one, EXECUTED))
                .hasMessageContaining("tradeId");
        assertThat(new TradeRecorded("t".repeat(128), "u", one, EXECUTED).tradeId())
                .hasSize(128);
    }

    @Test
    void theAmountComesBackExactlyAsSentScaleIncluded() {
        var sent = EventEnvelope.of(trade("2500.10"), "trading-platform");

        EventEnvelope<EventPayload> read = EventCodec.DEFAULT.read(EventCodec.DEFAULT.write(sent));

        assertThat(read).isEqualTo(sent);
        assertThat(((TradeRecorded) read.payload()).amountUsd().toPlainString()).isEqualTo("2500.10");
    }

    /** The version-1 wire form, as the trading platform writes it: a reader must keep understanding it. */
    private static String wire(String amount, String extraPayloadField) {
        return """
                {"eventId":"%s","type":"TradeRecorded","version":1,"occurredAt":"2026-11-23T10:15:31Z",
                 "key":"user-7","correlationId":"%s","causationId":null,"source":"trading-platform",
                 "payload":{"tradeId":"T-0001","userId":"user-7","amountUsd":%s,
                            "executedAt":"2026-11-23T10:15:30.123Z"%s}}""".formatted(EventIds.next(), EventIds.next(), amount, extraPayloadField);
    }

    @Test
    void theVersionOneWireFormIsReadAndFieldsAddedLaterAreIgnored() {
        var read = EventCodec.DEFAULT.read(
                wire("1999.99", ",\"side\":\"buy\",\"symbol\":\"SOL/USDT\"").getBytes(StandardCharsets.UTF_8));

        assertThat(read.payload())
                .isEqualTo(new TradeRecorded(
                        "T-0001", "user-7", new BigDecimal("1999.99"), Instant.parse("2026-11-23T10:15:30.123Z")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-100", "0", "5000000000", "\"lots\"", "null", "1.123456789"})
    void aTradeWithABadAmountOnTheWireIsMalformedSoItIsDeadLettered(String amount) {
        byte[] bytes = wire(amount, "").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventCodec.DEFAULT.read(bytes))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("TradeRecorded");
    }

    @Test
    void aTradeWithoutATradeIdOnTheWireIsMalformed() {
        byte[] bytes = wire("10", "").replace("\"tradeId\":\"T-0001\",", "").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventCodec.DEFAULT.read(bytes)).isInstanceOf(MalformedEventException.class);
    }
}
