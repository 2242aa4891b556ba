package com.aiw3.upgrade.chain;

import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.p2p.solanaj.core.PublicKey;

/**
 * An ed25519 signing key as Solana uses it (RFC 8032; a 64-byte Solana secret key is the 32-byte seed
 * followed by the public key), with BouncyCastle's {@link Ed25519Signer}: a signature costs tens of
 * microseconds, and so does deriving a key from its seed (ADR 0033).
 */
final class Ed25519Key {

    private final Ed25519PrivateKeyParameters privateKey;
    private final PublicKey publicKey;

    private Ed25519Key(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new PublicKey(privateKey.generatePublicKey().getEncoded());
    }

    /** The key of a 32-byte seed: its public key is derived from it. */
    static Ed25519Key fromSeed(byte[] seed) {
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an ed25519 seed is 32 bytes, was " + seed.length);
        }
        return new Ed25519Key(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /**
     * The key of a 64-byte Solana secret key (seed, then public key); the public half must be the one the
     * seed derives, or every signature would be refused on chain.
     */
    static Ed25519Key fromSecretKey(byte[] secretKey) {
        if (secretKey.length != 64) {
            throw new IllegalArgumentException("a Solana secret key is 64 bytes, was " + secretKey.length);
        }
        Ed25519Key key = fromSeed(Arrays.copyOfRange(secretKey, 0, 32));
        if (!Arrays.equals(key.publicKey.toByteArray(), Arrays.copyOfRange(secretKey, 32, 64))) {
            throw new IllegalArgumentException("the secret key's public half is not the key its seed derives");
        }
        return key;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    /** The 64-byte Solana secret key: seed, then public key. */
    byte[] secretKey() {
        byte[] secret = new byte[64];
        privateKey.encode(secret, 0);
        System.arraycopy(publicKey.toByteArray(), 0, secret, 32, 32);
        return secret;
    }

    /** The 64-byte ed25519 signature of {@code message}. */
    byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }
}
