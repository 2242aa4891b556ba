package com.aiw3.events.trading;

import com.aiw3.events.EventPayload;
import com.aiw3.events.EventSchema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What the trading platform reports about executed trades (topic {@code trading-activity}, keyed by user).
 * The NFT platform never computes volume from the chain: these events are the only source of a user's
 * trading volume ({@code docs/decisions/0027-trading-volume-badges-and-claim-rules.md}).
 */
public sealed interface TradingEvent extends EventPayload {

    String userId();

    @Override
    default String partitionKey() {
        return userId();
    }

    /**
     * One executed trade. A record that breaks these rules cannot be read and goes to the dead-letter
     * topic: the trading platform must correct it, the NFT platform never guesses.
     *
     * @param tradeId    the trading platform's id of the trade, unique across all users and for ever:
     *                   a trade published again (with any event id) counts once
     * @param userId     the user who traded
     * @param amountUsd  the trade's executed notional in USD: positive, at most {@link #MAX_AMOUNT_USD},
     *                   at most {@link #MAX_SCALE} fractional digits
     * @param executedAt when the trade was executed on the trading platform
     */
    @EventSchema(summary = "The trading platform executed a trade; its USD amount adds to the user's trading volume.")
    record TradeRecorded(String tradeId, String userId, BigDecimal amountUsd, Instant executedAt)
            implements TradingEvent {

        /** Longest trade or user id accepted. */
        public static final int MAX_ID_LENGTH = 128;

        /** The largest single trade accepted, in USD; a larger amount is a producer error. */
        public static final BigDecimal MAX_AMOUNT_USD = new BigDecimal("1000000000");

        /** Fractional digits of an amount: enough for any USD notional, and what the volume stores. */
        public static final int MAX_SCALE = 8;

        public TradeRecorded {
            requireId("tradeId", tradeId);
            requireId("userId", userId);
            Objects.requireNonNull(amountUsd, "amountUsd");
            Objects.requireNonNull(executedAt, "executedAt");
            if (amountUsd.signum() <= 0) {
                throw new IllegalArgumentException("amountUsd must be positive: " + amountUsd.toPlainString());
            }
            if (amountUsd.compareTo(MAX_AMOUNT_USD) > 0) {
                throw new IllegalArgumentException(
                        "amountUsd above " + MAX_AMOUNT_USD.toPlainString() + ": " + amountUsd.toPlainString());
            }
            if (amountUsd.stripTrailingZeros().scale() > MAX_SCALE) {
                throw new IllegalArgumentException(
                        "amountUsd has more than " + MAX_SCALE + " fractional digits: " + amountUsd.toPlainString());
            }
        }

        private static void requireId(String name, String value) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()
                    || value.length() > MAX_ID_LENGTH
                    || !value.strip().equals(value)) {
                throw new IllegalArgumentException(
                        name + " must be 1 to " + MAX_ID_LENGTH + " characters without surrounding blanks");
            }
        }
    }
}
