package com.aiw3.upgrade.upgrade;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deadlines and recovery, on every instance: ends upgrades whose burn deadline passed, and resumes
 * in-flight upgrades and claims whose lease ran out (their instance crashed or stopped). It looks only at those
 * two indexed sets; progress itself is pushed by events, never found by polling.
 */
@Component
class UpgradeSweeper {

    private static final Logger log = LoggerFactory.getLogger(UpgradeSweeper.class);
    private static final int BATCH = 100;

    private final UpgradeStore store;
    private final UpgradeCommands commands;
    private final UpgradePipeline pipeline;
    private final ClaimPipeline claimPipeline;

    UpgradeSweeper(
            UpgradeStore store, UpgradeCommands commands, UpgradePipeline pipeline, ClaimPipeline claimPipeline) {
        this.store = store;
        this.commands = commands;
        this.pipeline = pipeline;
        this.claimPipeline = claimPipeline;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${aiw3.upgrade.sweep-interval:15s}")
    void sweep() {
        try {
            for (UUID id : store.expiredBurns(BATCH)) {
                commands.expireBurn(id);
            }
            resumeAbandoned(pipeline, "upgrade");
            resumeAbandoned(claimPipeline, "claim");
        } catch (RuntimeException e) {
            log.warn("sweep failed; the next one retries: {}", e.getMessage());
        }
    }

    private void resumeAbandoned(ProcessDriver.Pipeline<?> abandoned, String kind) {
        for (UUID id : abandoned.abandoned(BATCH)) {
            if (abandoned.resume(id)) {
                log.info("resuming {} {} after its previous driver stopped", kind, id);
            }
        }
    }
}
