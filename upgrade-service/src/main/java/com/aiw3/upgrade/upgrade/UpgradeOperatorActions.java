package com.aiw3.upgrade.upgrade;

import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.upgrade.upgrade.ProcessRows.Change;
import com.aiw3.web.Caller;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** What an operator does about upgrades that gave up after the burn: retry them, list the compensations. */
@Component
class UpgradeOperatorActions {

    private final UpgradeStore store;
    private final UpgradePipeline pipeline;
    private final Compensations compensations;
    private final TransactionTemplate tx;
    private final JsonMapper json;

    UpgradeOperatorActions(
            UpgradeStore store,
            UpgradePipeline pipeline,
            Compensations compensations,
            TransactionTemplate tx,
            JsonMapper json) {
        this.store = store;
        this.pipeline = pipeline;
        this.compensations = compensations;
        this.tx = tx;
        this.json = json;
    }

    /**
     * An operator's retry of an upgrade that gave up after the burn: mint_failed_critical retries the
     * mint only (same derived mint address, so never a second NFT); failed retries the metadata upload
     * and then the mint.
     */
    UpgradeView retry(Caller operator, UUID id) {
        operator.requireRole(Caller.OPERATOR);
        Upgrade u = store.find(id).orElseThrow(() -> new Refusal.Missing("no upgrade " + id));
        UpgradeEvent restart = switch (u.status()) {
            case MINT_FAILED_CRITICAL -> new UpgradeEvent.MintStarted(id, u.userId(), u.mintAddress());
            case FAILED -> new UpgradeEvent.MetadataUploadStarted(id, u.userId());
            default ->
                throw new Refusal.Conflicting("only failed or mint_failed_critical upgrades are retried; this one is "
                        + u.status().wireName());
        };
        Upgrade restarted;
        try {
            restarted = tx.execute(status -> {
                Upgrade moved = store.move(u, restart, new Change.FailureReason(null), new Change.LeaseReleased());
                compensations.retrying(id);
                pipeline.leaseInTransaction(id);
                return moved;
            });
        } catch (StaleUpgradeException e) {
            throw new Refusal.Conflicting("the upgrade changed meanwhile; read it again");
        }
        pipeline.drive(id);
        return UpgradeView.of(restarted, json);
    }

    List<Compensations.Compensation> compensations(Caller operator, String status, int limit) {
        operator.requireRole(Caller.OPERATOR);
        return compensations.list(status, limit);
    }
}
