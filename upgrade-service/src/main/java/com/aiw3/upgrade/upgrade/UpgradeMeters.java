package com.aiw3.upgrade.upgrade;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Registers the upgrade pipeline's outcome counters at zero when the service starts, with the names and
 * tags {@link UpgradePipeline} increments. A counter that appears only at its first increment is invisible
 * to {@code increase()} for that increment: the alert on the first critical mint failure would miss it and
 * the dashboards would show "no data" instead of 0.
 */
@Component
class UpgradeMeters {

    /** The pipeline steps that end an upgrade as failed ({@code aiw3.upgrade.failed{step}}). */
    static final List<String> FAILING_STEPS = List.of("uploading_metadata", "minting_new_nft");

    UpgradeMeters(MeterRegistry meters) {
        meters.counter("aiw3.upgrade.completed");
        meters.counter("aiw3.upgrade.mint.sent");
        meters.counter("aiw3.upgrade.mint.failures");
        meters.counter("aiw3.upgrade.metadata.upload.failures");
        FAILING_STEPS.forEach(step -> meters.counter("aiw3.upgrade.failed", "step", step));
    }
}
