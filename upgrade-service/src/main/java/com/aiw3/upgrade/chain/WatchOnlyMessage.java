package com.aiw3.upgrade.chain;

import org.p2p.solanaj.core.Account;
import org.p2p.solanaj.core.Message;
import org.p2p.solanaj.core.PublicKey;

/**
 * A message whose fee payer is a wallet we hold no key for. solanaj only takes a fee payer as an
 * {@link Account}; this one answers with the wallet's public key and is never asked to sign.
 */
final class WatchOnlyMessage extends Message {

    WatchOnlyMessage(PublicKey feePayer) {
        setFeePayer(new WatchOnly(feePayer));
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
