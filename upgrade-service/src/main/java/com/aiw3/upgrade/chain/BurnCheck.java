package com.aiw3.upgrade.chain;

/** What the chain says about a burn signature the user submitted. */
public sealed interface BurnCheck {

    /** Confirmed or finalized, succeeded, and burned exactly the expected NFT from the expected wallet. */
    record Verified(long slot) implements BurnCheck {}

    /** Not (yet) visible at confirmed commitment: the user may retry shortly. */
    record NotFound() implements BurnCheck {}

    /** The transaction landed but failed: the burn did not happen. */
    record FailedOnChain(String error) implements BurnCheck {}

    /** A valid transaction, but not a burn of this NFT by this wallet. */
    record NotThisBurn(String reason) implements BurnCheck {}
}
