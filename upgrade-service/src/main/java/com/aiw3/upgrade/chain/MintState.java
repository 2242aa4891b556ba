package com.aiw3.upgrade.chain;

import java.util.Optional;

/** Whether the NFT of an upgrade exists on chain, and the signature of the transaction that made it. */
public record MintState(boolean minted, Optional<String> signature) {

    static MintState notMinted() {
        return new MintState(false, Optional.empty());
    }
}
