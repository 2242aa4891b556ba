package com.aiw3.local;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.serde.EventSerializer;
import com.aiw3.events.trading.TradingEvent.TradeRecorded;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stands in for the trading platform in the local run: publishes one executed trade on
 * {@code trading-activity}, as the trading platform does ({@code ./run-local trade <user> <amountUsd> [tradeId]}).
 * Publishing the same trade id again shows that a trade counts once.
 */
public final class TradePublisher {

    private TradePublisher() {}

    /** The trade, or an {@link IllegalArgumentException} saying why the arguments are no trade. */
    static TradeRecorded trade(String userId, String amountUsd, String tradeId) {
        BigDecimal amount;
        try {
            amount = new BigDecimal(amountUsd);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("amountUsd is not a number: " + amountUsd, e);
        }
        return new TradeRecorded(tradeId, userId, amount, Instant.now());
    }

    static String newTradeId() {
        return "local-" + UUID.randomUUID();
    }

    public static EventEnvelope<TradeRecorded> publish(String bootstrap, TradeRecorded trade) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        var event = EventEnvelope.of(trade, "local-trading-platform");
        try (var producer =
                new KafkaProducer<String, EventEnvelope<?>>(props, new StringSerializer(), new EventSerializer())) {
            producer.send(new ProducerRecord<>(event.topic().name(), event.key(), event))
                    .get();
        }
        return event;
    }
}
