package com.aiw3.upgrade.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.upgrade.UpgradeStatus;
import org.junit.jupiter.api.Test;

class UpgradeStateMachineTest {

    @Test
    void theHappyPathRunsThroughEveryStatusInProgressOrder() {
        UpgradeStatus[] path = {
            UpgradeStatus.INITIALIZING,
            UpgradeStatus.QUALIFICATION_VERIFIED,
            UpgradeStatus.AWAITING_BURN,
            UpgradeStatus.BURN_VERIFIED,
            UpgradeStatus.UPLOADING_METADATA,
            UpgradeStatus.METADATA_UPLOADED,
            UpgradeStatus.MINTING_NEW_NFT,
            UpgradeStatus.UPDATING_RECORDS,
            UpgradeStatus.COMPLETED
        };
        for (int i = 0; i + 1 < path.length; i++) {
            assertThat(UpgradeStateMachine.allows(path[i], path[i + 1]))
                    .as(path[i] + " -> " + path[i + 1])
                    .isTrue();
        }
    }

    @Test
    void nothingLeavesCompletedCancelledOrQualificationFailed() {
        for (UpgradeStatus to : UpgradeStatus.values()) {
            assertThat(UpgradeStateMachine.allows(UpgradeStatus.COMPLETED, to)).isFalse();
            assertThat(UpgradeStateMachine.allows(UpgradeStatus.CANCELLED, to)).isFalse();
            assertThat(UpgradeStateMachine.allows(UpgradeStatus.QUALIFICATION_FAILED, to))
                    .isFalse();
        }
    }

    @Test
    void cancellingIsOnlyPossibleBeforeTheBurn() {
        for (UpgradeStatus from : UpgradeStatus.values()) {
            assertThat(UpgradeStateMachine.allows(from, UpgradeStatus.CANCELLED))
                    .as(from.wireName())
                    .isEqualTo(from == UpgradeStatus.AWAITING_BURN);
        }
    }

    @Test
    void aCriticalMintFailureCanOnlyBeRetriedAsAMint() {
        for (UpgradeStatus to : UpgradeStatus.values()) {
            assertThat(UpgradeStateMachine.allows(UpgradeStatus.MINT_FAILED_CRITICAL, to))
                    .isEqualTo(to == UpgradeStatus.MINTING_NEW_NFT);
        }
    }
}
