package com.aiw3.upgrade.chain;

/**
 * A mint transaction signed and ready to send; its signature is recorded before it is sent. It can land
 * only while the cluster's block height is at most {@code lastValidBlockHeight} (its blockhash's).
 */
public record SignedMint(
        String signature, String mintAddress, String blockhash, long lastValidBlockHeight, String base64) {}
