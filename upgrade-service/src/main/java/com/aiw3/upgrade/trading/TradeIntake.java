package com.aiw3.upgrade.trading;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.trading.TradingEvent.TradeRecorded;
import com.aiw3.messaging.NonRetryableEventException;
import com.aiw3.messaging.inbox.IdempotentConsumer;
import com.aiw3.upgrade.badge.BadgeAwards;
import com.aiw3.upgrade.trading.TradeLedger.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code trading-activity}: each trade adds its amount to the user's trading volume once, by
 * trade id (ADR 0027). A failure that may pass (the database out of reach) blocks and retries; a record
 * that is no valid trade (a negative or absurd amount, a missing id) cannot be read and is dead-lettered
 * by common-messaging; a trade id reused for a different trade is dead-lettered here. The user need not
 * be known: volume is recorded before a first NFT exists. A recorded trade that takes the user past a
 * badge's milestone earns the badge in the same transaction; a trade counted already earns nothing.
 */
@Component
class TradeIntake {

    static final String CONSUMER = "upgrade-trade-intake";

    private static final Logger log = LoggerFactory.getLogger(TradeIntake.class);

    private final IdempotentConsumer inbox;
    private final TradeLedger ledger;
    private final BadgeAwards badges;
    private final Counter recorded;
    private final Counter duplicates;

    TradeIntake(IdempotentConsumer inbox, TradeLedger ledger, BadgeAwards badges, MeterRegistry meters) {
        this.inbox = inbox;
        this.ledger = ledger;
        this.badges = badges;
        this.recorded = Counter.builder("aiw3.upgrade.trades.recorded")
                .description("Trades added to a user's trading volume")
                .register(meters);
        this.duplicates = Counter.builder("aiw3.upgrade.trades.duplicates")
                .description("Trades received again (same trade id) and counted only once")
                .register(meters);
    }

    @KafkaListener(id = CONSUMER, topics = Topics.Names.TRADING_ACTIVITY)
    void on(ConsumerRecord<String, EventEnvelope<EventPayload>> record) {
        EventEnvelope<EventPayload> event = record.value();
        if (event == null) {
            throw new NonRetryableEventException("not an event envelope");
        }
        if (!(event.payload() instanceof TradeRecorded trade)) {
            // A type this build does not know yet: skipped (audit-service keeps it).
            return;
        }
        Outcome outcome = inbox.callOnce(CONSUMER, event, () -> {
            Outcome result = ledger.record(event.eventId(), trade);
            if (result == Outcome.CONFLICT) {
                // Rolls back the inbox row too: nothing of this event is kept.
                throw new NonRetryableEventException("trade id " + trade.tradeId()
                        + " is already recorded with another user, amount or execution time");
            }
            if (result == Outcome.RECORDED) {
                // The trade may cross a milestone: its badges are earned with it, in this transaction.
                badges.afterTrade(event, trade.userId());
            }
            return result;
        });
        if (outcome == Outcome.RECORDED) {
            recorded.increment();
        } else {
            // Null: this very event was applied before. DUPLICATE: the same trade under another event id.
            duplicates.increment();
            log.debug("trade {} of {} is counted already", trade.tradeId(), trade.userId());
        }
    }
}
