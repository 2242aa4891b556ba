package com.aiw3.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TradePublisherTest {

    @Test
    void theArgumentsBecomeOneTradeOfThatUserAndAmount() {
        var trade = TradePublisher.trade("user-1", "600000.50", "T-1");

        assertThat(trade.userId()).isEqualTo("user-1");
        assertThat(trade.amountUsd()).isEqualByComparingTo("600000.50");
        assertThat(trade.tradeId()).isEqualTo("T-1");
        assertThat(TradePublisher.newTradeId()).startsWith("local-").isNotEqualTo(TradePublisher.newTradeId());
    }

    @Test
    void anAmountThatIsNoPositiveNumberIsRefusedBeforeAnythingIsPublished() {
        assertThatThrownBy(() -> TradePublisher.trade("user-1", "lots", "T-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> TradePublisher.trade("user-1", "-5", "T-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }
}
