package com.aiw3.upgrade.chain;

/** The unsigned burn of the user's NFT (base64 wire format, fee payer = the user's wallet). */
public record BurnTransaction(String base64, String blockhash, long lastValidBlockHeight) {}
