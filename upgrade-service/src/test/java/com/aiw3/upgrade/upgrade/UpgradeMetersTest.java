package com.aiw3.upgrade.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class UpgradeMetersTest {

    @Test
    void failureAndOutcomeCountersExistAtZeroBeforeAnyUpgrade() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        new UpgradeMeters(meters);

        assertThat(meters.get("aiw3.upgrade.failed")
                        .tag("step", "minting_new_nft")
                        .counter()
                        .count())
                .isZero();
        assertThat(meters.get("aiw3.upgrade.failed")
                        .tag("step", "uploading_metadata")
                        .counter()
                        .count())
                .isZero();
        assertThat(meters.get("aiw3.upgrade.mint.failures").counter().count()).isZero();
        assertThat(meters.get("aiw3.upgrade.metadata.upload.failures").counter().count())
                .isZero();
        assertThat(meters.get("aiw3.upgrade.completed").counter().count()).isZero();
        assertThat(meters.get("aiw3.upgrade.mint.sent").counter().count()).isZero();
    }
}
