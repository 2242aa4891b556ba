package com.aiw3.upgrade.upgrade;

import static com.aiw3.events.upgrade.UpgradeStatus.AWAITING_BURN;
import static com.aiw3.events.upgrade.UpgradeStatus.BURN_FAILED;
import static com.aiw3.events.upgrade.UpgradeStatus.BURN_VERIFIED;
import static com.aiw3.events.upgrade.UpgradeStatus.CANCELLED;
import static com.aiw3.events.upgrade.UpgradeStatus.COMPLETED;
import static com.aiw3.events.upgrade.UpgradeStatus.FAILED;
import static com.aiw3.events.upgrade.UpgradeStatus.INITIALIZING;
import static com.aiw3.events.upgrade.UpgradeStatus.METADATA_UPLOADED;
import static com.aiw3.events.upgrade.UpgradeStatus.MINTING_NEW_NFT;
import static com.aiw3.events.upgrade.UpgradeStatus.MINT_FAILED_CRITICAL;
import static com.aiw3.events.upgrade.UpgradeStatus.QUALIFICATION_FAILED;
import static com.aiw3.events.upgrade.UpgradeStatus.QUALIFICATION_VERIFIED;
import static com.aiw3.events.upgrade.UpgradeStatus.UPDATING_RECORDS;
import static com.aiw3.events.upgrade.UpgradeStatus.UPLOADING_METADATA;

import com.aiw3.events.upgrade.UpgradeStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The upgrade's state machine (the statuses of the frontend contract): the only moves an upgrade can make. */
final class UpgradeStateMachine {

    /** The steps after the burn, which the pipeline drives and recovery resumes. */
    static final Set<UpgradeStatus> IN_FLIGHT =
            EnumSet.of(BURN_VERIFIED, UPLOADING_METADATA, METADATA_UPLOADED, MINTING_NEW_NFT, UPDATING_RECORDS);

    private static final Map<UpgradeStatus, Set<UpgradeStatus>> MOVES = Map.ofEntries(
            Map.entry(INITIALIZING, EnumSet.of(QUALIFICATION_VERIFIED, QUALIFICATION_FAILED)),
            Map.entry(QUALIFICATION_VERIFIED, EnumSet.of(AWAITING_BURN)),
            Map.entry(AWAITING_BURN, EnumSet.of(BURN_VERIFIED, BURN_FAILED, CANCELLED)),
            // A burn that landed in time but was confirmed after the deadline is still honoured:
            // the NFT is gone on chain, so refusing it would lose the user's NFT.
            Map.entry(BURN_FAILED, EnumSet.of(BURN_VERIFIED)),
            Map.entry(BURN_VERIFIED, EnumSet.of(UPLOADING_METADATA)),
            Map.entry(UPLOADING_METADATA, EnumSet.of(METADATA_UPLOADED, FAILED)),
            Map.entry(METADATA_UPLOADED, EnumSet.of(MINTING_NEW_NFT)),
            Map.entry(MINTING_NEW_NFT, EnumSet.of(UPDATING_RECORDS, MINT_FAILED_CRITICAL)),
            Map.entry(UPDATING_RECORDS, EnumSet.of(COMPLETED)),
            // Operator retries (compensation): from the step that gave up.
            Map.entry(FAILED, EnumSet.of(UPLOADING_METADATA)),
            Map.entry(MINT_FAILED_CRITICAL, EnumSet.of(MINTING_NEW_NFT)));

    private UpgradeStateMachine() {}

    static boolean allows(UpgradeStatus from, UpgradeStatus to) {
        return MOVES.getOrDefault(from, Set.of()).contains(to);
    }
}
