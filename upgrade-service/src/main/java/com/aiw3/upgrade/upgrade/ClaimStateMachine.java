package com.aiw3.upgrade.upgrade;

import static com.aiw3.events.upgrade.ClaimStatus.COMPLETED;
import static com.aiw3.events.upgrade.ClaimStatus.FAILED;
import static com.aiw3.events.upgrade.ClaimStatus.INITIALIZING;
import static com.aiw3.events.upgrade.ClaimStatus.METADATA_UPLOADED;
import static com.aiw3.events.upgrade.ClaimStatus.MINTING_NFT;
import static com.aiw3.events.upgrade.ClaimStatus.MINT_CONFIRMED;
import static com.aiw3.events.upgrade.ClaimStatus.QUALIFICATION_FAILED;
import static com.aiw3.events.upgrade.ClaimStatus.QUALIFICATION_VERIFIED;
import static com.aiw3.events.upgrade.ClaimStatus.UPLOADING_METADATA;

import com.aiw3.events.upgrade.ClaimStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The claim's state machine: the only moves a first-NFT claim can make. */
final class ClaimStateMachine {

    /** The steps after qualification, which the pipeline drives and recovery resumes. */
    static final Set<ClaimStatus> IN_FLIGHT =
            EnumSet.of(QUALIFICATION_VERIFIED, UPLOADING_METADATA, METADATA_UPLOADED, MINTING_NFT, MINT_CONFIRMED);

    private static final Map<ClaimStatus, Set<ClaimStatus>> MOVES = Map.ofEntries(
            Map.entry(INITIALIZING, EnumSet.of(QUALIFICATION_VERIFIED, QUALIFICATION_FAILED)),
            Map.entry(QUALIFICATION_VERIFIED, EnumSet.of(UPLOADING_METADATA)),
            Map.entry(UPLOADING_METADATA, EnumSet.of(METADATA_UPLOADED, FAILED)),
            Map.entry(METADATA_UPLOADED, EnumSet.of(MINTING_NFT)),
            Map.entry(MINTING_NFT, EnumSet.of(MINT_CONFIRMED, FAILED)),
            Map.entry(MINT_CONFIRMED, EnumSet.of(COMPLETED)),
            // Operator retries (compensation): from the step that gave up.
            Map.entry(FAILED, EnumSet.of(UPLOADING_METADATA, MINTING_NFT)));

    private ClaimStateMachine() {}

    static boolean allows(ClaimStatus from, ClaimStatus to) {
        return MOVES.getOrDefault(from, Set.of()).contains(to);
    }
}
