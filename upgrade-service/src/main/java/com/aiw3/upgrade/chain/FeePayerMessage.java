package com.aiw3.upgrade.chain;

import java.util.List;
import org.p2p.solanaj.core.Account;
import org.p2p.solanaj.core.Message;
import org.p2p.solanaj.core.PublicKey;
import org.p2p.solanaj.utils.ShortvecEncoding;

/**
 * A legacy message whose fee payer is named by its public key, and its wire form with the signatures of
 * the keys this service holds. solanaj only takes a fee payer as an {@link Account} and signs with its
 * own pure-Java TweetNacl; here signing is {@link Ed25519Key}'s, and a slot whose key is not ours (the
 * user's wallet, in a burn) stays empty for the wallet to fill.
 */
final class FeePayerMessage extends Message {

    private static final int SIGNATURE_LENGTH = 64;

    FeePayerMessage(PublicKey feePayer) {
        setFeePayer(new WatchOnly(feePayer));
    }

    /**
     * The transaction's wire bytes: the signature slots (one per required signer, in the order of the
     * message's account keys), then the message. Each of {@code signers} must be a required signer.
     */
    byte[] wire(List<Ed25519Key> signers) {
        byte[] message = serialize();
        int required = message[0] & 0xff;
        // Header (3 bytes), then the account keys' count (compact-u16: 7 bits a byte), then the keys.
        int keysAt = 3;
        while ((message[keysAt++] & 0x80) != 0) {
            // a continuation byte of the count
        }
        byte[] count = ShortvecEncoding.encodeLength(required);
        byte[] wire = new byte[count.length + SIGNATURE_LENGTH * required + message.length];
        System.arraycopy(count, 0, wire, 0, count.length);
        for (Ed25519Key signer : signers) {
            int slot = slotOf(message, keysAt, required, signer.publicKey());
            System.arraycopy(signer.sign(message), 0, wire, count.length + SIGNATURE_LENGTH * slot, SIGNATURE_LENGTH);
        }
        System.arraycopy(message, 0, wire, count.length + SIGNATURE_LENGTH * required, message.length);
        return wire;
    }

    private static int slotOf(byte[] message, int keysAt, int required, PublicKey key) {
        for (int i = 0; i < required; i++) {
            if (PublicKey.readPubkey(message, keysAt + 32 * i).equals(key)) {
                return i;
            }
        }
        throw new IllegalArgumentException(key + " is not a signer of this message");
    }

    private static final class WatchOnly extends Account {
        private final PublicKey publicKey;

        WatchOnly(PublicKey publicKey) {
            // A placeholder secret: the no-argument constructor would generate a keypair (an ed25519
            // scalar multiplication) that is never used.
            super(new byte[64]);
            this.publicKey = publicKey;
        }

        @Override
        public PublicKey getPublicKey() {
            return publicKey;
        }

        @Override
        public byte[] getSecretKey() {
            throw new UnsupportedOperationException("a watch-only account cannot sign");
        }
    }
}
