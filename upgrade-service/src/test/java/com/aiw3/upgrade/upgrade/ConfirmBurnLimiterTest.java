package com.aiw3.upgrade.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfirmBurnLimiterTest {

    @Test
    void aUserGetsABurstOfFiveThenOnePerSixSecondsAndOtherUsersAreNotAffected() {
        ConfirmBurnLimiter limiter = new ConfirmBurnLimiter();
        long t = 0;
        for (int i = 0; i < ConfirmBurnLimiter.BURST; i++) {
            assertThat(limiter.tryAcquire("u1", t)).isTrue();
        }
        assertThat(limiter.tryAcquire("u1", t)).isFalse();
        assertThat(limiter.tryAcquire("u2", t)).isTrue();
        t += ConfirmBurnLimiter.REFILL.toNanos() - 1;
        assertThat(limiter.tryAcquire("u1", t)).isFalse();
        t += 1;
        assertThat(limiter.tryAcquire("u1", t)).isTrue();
        assertThat(limiter.tryAcquire("u1", t)).isFalse();
    }
}
