package com.aiw3.upgrade.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.p2p.solanaj.utils.TweetNaclFast;

/**
 * Microseconds per ed25519 signature and per key derivation from a seed, for the three implementations
 * on the classpath, in one run: solanaj's TweetNacl, BouncyCastle ({@link Ed25519Key}, what the mint
 * path uses) and the JDK's {@code Ed25519}. A mint transaction is signed by two keys, one of them derived
 * for the upgrade. {@code ./mvnw -Pbenchmark -pl upgrade-service -am verify -Dit.test=Ed25519Benchmark
 * [-Dbenchmark.ed25519.ops=2000]}.
 */
class Ed25519Benchmark {

    private static final int OPS = Integer.getInteger("benchmark.ed25519.ops", 2000);

    /** A mint transaction's message is about 600 bytes. */
    private static final byte[] MESSAGE = new byte[600];

    @Test
    void signatureAndKeyDerivationCostPerImplementation() throws Exception {
        byte[] secret = TweetNaclFast.Signature.keyPair_fromSeed(seed(1)).getSecretKey();
        TweetNaclFast.Signature tweetNacl = new TweetNaclFast.Signature(new byte[0], secret);
        Ed25519Key bouncyCastle = Ed25519Key.fromSecretKey(secret);
        KeyPair jdkKeys = jdkKeyPair(seed(1));
        Signature jdk = Signature.getInstance("Ed25519");

        // The same signature from all three: the figures compare the same work.
        jdk.initSign(jdkKeys.getPrivate());
        jdk.update(MESSAGE);
        assertThat(bouncyCastle.sign(MESSAGE))
                .isEqualTo(tweetNacl.detached(MESSAGE))
                .isEqualTo(jdk.sign());

        System.out.printf("ed25519, %d operations per figure, %d-byte message%n", OPS, MESSAGE.length);
        System.out.printf("%-14s %14s %16s%n", "implementation", "µs/signature", "µs/derivation");
        for (int round = 1; round <= 2; round++) {
            // Round 1 warms the JIT up; round 2 is the figure.
            String tn = figures(
                    i -> tweetNacl.detached(message(i)),
                    i -> TweetNaclFast.Signature.keyPair_fromSeed(seed(i)).getPublicKey());
            String bc = figures(i -> bouncyCastle.sign(message(i)), i -> Ed25519Key.fromSeed(seed(i)));
            String jk = figures(
                    i -> {
                        try {
                            jdk.initSign(jdkKeys.getPrivate());
                            jdk.update(message(i));
                            return jdk.sign();
                        } catch (java.security.GeneralSecurityException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    i -> jdkKeyPair(seed(i)).getPublic());
            if (round == 2) {
                System.out.printf("%-14s %s%n", "TweetNacl", tn);
                System.out.printf("%-14s %s%n", "BouncyCastle", bc);
                System.out.printf("%-14s %s%n", "JDK", jk);
            }
        }
    }

    private static String figures(IntFunction<Object> sign, IntFunction<Object> derive) {
        return "%14.1f %16.1f".formatted(microsPerOp(sign), microsPerOp(derive));
    }

    private static double microsPerOp(IntFunction<Object> op) {
        int sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < OPS; i++) {
            sink += op.apply(i).hashCode();
        }
        long elapsed = System.nanoTime() - start;
        assertThat(sink).isNotNull();
        return elapsed / 1_000.0 / OPS;
    }

    private static byte[] message(int i) {
        MESSAGE[0] = (byte) i;
        return MESSAGE;
    }

    private static byte[] seed(int n) {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (n * 31 + i);
        }
        return seed;
    }

    /** The JDK derives a key pair from a seed only through the random source its generator reads. */
    private static KeyPair jdkKeyPair(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
