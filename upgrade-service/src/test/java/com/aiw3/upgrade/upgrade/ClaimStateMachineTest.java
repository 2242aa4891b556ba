package com.aiw3.upgrade.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.upgrade.ClaimStatus;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ClaimStateMachineTest {

    @Test
    void theHappyPathRunsThroughEveryStatusInProgressOrder() {
        ClaimStatus[] path = {
            ClaimStatus.INITIALIZING,
            ClaimStatus.QUALIFICATION_VERIFIED,
            ClaimStatus.UPLOADING_METADATA,
            ClaimStatus.METADATA_UPLOADED,
            ClaimStatus.MINTING_NFT,
            ClaimStatus.MINT_CONFIRMED,
            ClaimStatus.COMPLETED
        };
        for (int i = 0; i + 1 < path.length; i++) {
            assertThat(ClaimStateMachine.allows(path[i], path[i + 1]))
                    .as(path[i] + " -> " + path[i + 1])
                    .isTrue();
        }
    }

    @Test
    void nothingLeavesCompletedOrQualificationFailed() {
        for (ClaimStatus to : ClaimStatus.values()) {
            assertThat(ClaimStateMachine.allows(ClaimStatus.COMPLETED, to)).isFalse();
            assertThat(ClaimStateMachine.allows(ClaimStatus.QUALIFICATION_FAILED, to))
                    .isFalse();
        }
    }

    @Test
    void onlyTheUploadAndTheMintGiveUpAndAnOperatorRetriesEitherStep() {
        for (ClaimStatus from : ClaimStatus.values()) {
            assertThat(ClaimStateMachine.allows(from, ClaimStatus.FAILED))
                    .as(from.wireName())
                    .isEqualTo(from == ClaimStatus.UPLOADING_METADATA || from == ClaimStatus.MINTING_NFT);
        }
        for (ClaimStatus to : ClaimStatus.values()) {
            assertThat(ClaimStateMachine.allows(ClaimStatus.FAILED, to))
                    .isEqualTo(EnumSet.of(ClaimStatus.UPLOADING_METADATA, ClaimStatus.MINTING_NFT)
                            .contains(to));
        }
    }
}
