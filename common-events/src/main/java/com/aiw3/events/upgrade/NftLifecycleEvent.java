package com.aiw3.events.upgrade;

import com.aiw3.events.EventPayload;

/**
 * What topic {@code nft-upgrade-events} carries: the steps of a user's NFT processes, an upgrade or the
 * first-NFT claim, keyed by user so that a user's claim and their later upgrades stay in order (ADR 0030).
 */
public sealed interface NftLifecycleEvent extends EventPayload permits UpgradeEvent, ClaimEvent {

    String userId();

    /** Where the process stands, 0-100, as the user's progress bar shows it. */
    int progress();

    /** No further transition of the process happens on its own after this event. */
    boolean terminal();

    @Override
    default String partitionKey() {
        return userId();
    }
}
