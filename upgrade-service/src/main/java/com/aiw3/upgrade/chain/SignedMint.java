package com.aiw3.upgrade.chain;

/** A mint transaction signed and ready to send; its signature is recorded before it is sent. */
public record SignedMint(String signature, String mintAddress, String blockhash, String base64) {}
