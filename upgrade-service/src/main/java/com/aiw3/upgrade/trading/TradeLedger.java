package com.aiw3.upgrade.trading;

import com.aiw3.events.trading.TradingEvent.TradeRecorded;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The trades table and the per-user volume that qualification reads. A trade id is recorded once for
 * ever; recording it adds its amount to the user's volume in the same transaction.
 */
@Component
class TradeLedger {

    /** What became of one trade. */
    enum Outcome {
        /** First time this trade id was seen: its amount is in the user's volume now. */
        RECORDED,
        /** The same trade again (same user, amount and time): nothing changed. */
        DUPLICATE,
        /** The trade id is known with another user, amount or time: nothing changed; the producer is wrong. */
        CONFLICT
    }

    private final JdbcClient jdbc;

    TradeLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the trade unless its id is known. Call inside a transaction. */
    Outcome record(UUID eventId, TradeRecorded trade) {
        // PostgreSQL keeps microseconds: compare what is stored.
        Instant executedAt = trade.executedAt().truncatedTo(ChronoUnit.MICROS);
        int inserted = jdbc.sql("""
                        insert into trades (trade_id, user_id, amount_usd, executed_at, event_id)
                        values (:trade, :user, :amount, :executed, :event)
                        on conflict (trade_id) do nothing""")
                .param("trade", trade.tradeId())
                .param("user", trade.userId())
                .param("amount", trade.amountUsd())
                .param("executed", Timestamp.from(executedAt))
                .param("event", eventId)
                .update();
        if (inserted == 1) {
            jdbc.sql("""
                            insert into user_trading_volume (user_id, volume_usd, trade_count, updated_at)
                            values (:user, :amount, 1, now())
                            on conflict (user_id) do update set
                                volume_usd = user_trading_volume.volume_usd + excluded.volume_usd,
                                trade_count = user_trading_volume.trade_count + 1,
                                updated_at = now()""")
                    .param("user", trade.userId())
                    .param("amount", trade.amountUsd())
                    .update();
            return Outcome.RECORDED;
        }
        Stored stored = jdbc.sql("select user_id, amount_usd, executed_at from trades where trade_id = :trade")
                .param("trade", trade.tradeId())
                .query((rs, row) -> new Stored(
                        rs.getString("user_id"),
                        rs.getBigDecimal("amount_usd"),
                        rs.getTimestamp("executed_at").toInstant()))
                .single();
        boolean same = stored.userId().equals(trade.userId())
                && stored.amountUsd().compareTo(trade.amountUsd()) == 0
                && stored.executedAt().equals(executedAt);
        return same ? Outcome.DUPLICATE : Outcome.CONFLICT;
    }

    private record Stored(String userId, BigDecimal amountUsd, Instant executedAt) {}
}
