package com.aiw3.upgrade.upgrade;

import com.aiw3.upgrade.tier.Tier;

/** The tier's artwork is not pinned on IPFS yet: the upgrade or claim to it waits (no attempt spent). */
final class ArtworkNotPinnedException extends RuntimeException {
    ArtworkNotPinnedException(Tier tier) {
        super("tier " + tier.id() + " (" + tier.name() + ") artwork to be pinned on IPFS", null, false, false);
    }
}
