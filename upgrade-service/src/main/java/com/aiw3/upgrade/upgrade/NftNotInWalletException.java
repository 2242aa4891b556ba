package com.aiw3.upgrade.upgrade;

/**
 * The chain shows the user's wallet without the NFT an upgrade would burn: it was transferred away (or
 * burned outside the platform). The holding is recorded as transferred and the upgrade is refused.
 */
final class NftNotInWalletException extends RuntimeException {

    private final String mintAddress;
    private final String walletAddress;

    NftNotInWalletException(String mintAddress, String walletAddress) {
        super("NFT " + mintAddress + " is not in wallet " + walletAddress);
        this.mintAddress = mintAddress;
        this.walletAddress = walletAddress;
    }

    String mintAddress() {
        return mintAddress;
    }

    String walletAddress() {
        return walletAddress;
    }
}
