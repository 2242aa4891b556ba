package com.aiw3.system;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * A user's own Solana wallet, as a browser wallet holds it: an Ed25519 key pair that only this user signs
 * with. It signs its slot of a transaction the platform prepared and sends it to the chain itself, the way
 * a wallet's {@code signAndSendTransaction} does; the platform never sees the key.
 */
final class Wallet {

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private final KeyPair keys;
    private final byte[] publicKey;
    final String address;

    private Wallet(KeyPair keys) {
        this.keys = keys;
        byte[] encoded = keys.getPublic().getEncoded();
        // X.509 SubjectPublicKeyInfo of an Ed25519 key: a fixed 12-byte prefix, then the raw 32-byte key.
        this.publicKey = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        this.address = base58(publicKey);
    }

    /** A new wallet, funded on the local chain with enough SOL for its transaction fees. */
    static Wallet create(Platform platform) throws Exception {
        Wallet wallet = new Wallet(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        JsonNode airdrop = rpc(platform, "requestAirdrop", "[\"" + wallet.address + "\",1000000000]");
        if (airdrop.has("error")) {
            throw new IllegalStateException("airdrop: " + airdrop);
        }
        return wallet;
    }

    /** Signs this wallet's slot of a base64 wire transaction and sends it; returns the signature. */
    String signAndSend(Platform platform, String base64Transaction) throws Exception {
        byte[] wire = Base64.getDecoder().decode(base64Transaction);
        int signatures = wire[0]; // compact-u16, one byte below 128 signatures
        int messageStart = 1 + 64 * signatures;
        int header = messageStart + ((wire[messageStart] & 0x80) != 0 ? 1 : 0); // versioned messages lead with 0x80|v
        int required = wire[header];
        int keysStart = header + 4; // three header bytes, then the compact-u16 key count (one byte here)
        int slot = -1;
        for (int i = 0; i < required; i++) {
            if (Arrays.equals(wire, keysStart + 32 * i, keysStart + 32 * (i + 1), publicKey, 0, 32)) {
                slot = i;
            }
        }
        if (slot < 0) {
            throw new IllegalStateException("wallet " + address + " is not a signer of this transaction");
        }
        byte[] signature = sign(Arrays.copyOfRange(wire, messageStart, wire.length));
        System.arraycopy(signature, 0, wire, 1 + 64 * slot, 64);
        JsonNode sent = rpc(
                platform,
                "sendTransaction",
                "[\"" + Base64.getEncoder().encodeToString(wire) + "\",{\"encoding\":\"base64\"}]");
        if (sent.has("error")) {
            throw new IllegalStateException("sendTransaction: " + sent.path("error"));
        }
        return sent.path("result").asString();
    }

    private byte[] sign(byte[] message) throws GeneralSecurityException {
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initSign(keys.getPrivate());
        ed25519.update(message);
        return ed25519.sign();
    }

    private static JsonNode rpc(Platform platform, String method, String params)
            throws IOException, InterruptedException {
        HttpResponse<String> response = User.HTTP.send(
                HttpRequest.newBuilder(URI.create(platform.nodeUrl()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method
                                + "\",\"params\":" + params + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return User.JSON.readTree(response.body());
    }

    static String base58(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        BigInteger value = new BigInteger(1, bytes);
        BigInteger base = BigInteger.valueOf(58);
        while (value.signum() > 0) {
            BigInteger[] division = value.divideAndRemainder(base);
            out.append(ALPHABET.charAt(division[1].intValue()));
            value = division[0];
        }
        for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
            out.append('1');
        }
        return out.reverse().toString();
    }
}
