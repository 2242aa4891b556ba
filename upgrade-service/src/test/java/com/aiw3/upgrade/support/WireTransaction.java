package com.aiw3.upgrade.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.p2p.solanaj.utils.Base58;
import org.p2p.solanaj.utils.TweetNaclFast;

/**
 * A legacy Solana transaction decoded from its wire bytes, independently of the code under test: what a
 * validator would see.
 */
public record WireTransaction(
        List<byte[]> signatures,
        int requiredSignatures,
        int readonlySigned,
        int readonlyUnsigned,
        List<String> accountKeys,
        String recentBlockhash,
        List<Instruction> instructions,
        byte[] message) {

    public record Instruction(int programIdIndex, List<Integer> accounts, byte[] data) {}

    public static WireTransaction fromBase64(String base64) {
        return parse(Base64.getDecoder().decode(base64));
    }

    public static WireTransaction parse(byte[] wire) {
        Reader in = new Reader(wire);
        int signatureCount = in.shortvec();
        List<byte[]> signatures = new ArrayList<>();
        for (int i = 0; i < signatureCount; i++) {
            signatures.add(in.bytes(64));
        }
        int messageStart = in.position;
        int required = in.u8();
        int readonlySigned = in.u8();
        int readonlyUnsigned = in.u8();
        int keyCount = in.shortvec();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            keys.add(Base58.encode(in.bytes(32)));
        }
        String blockhash = Base58.encode(in.bytes(32));
        int instructionCount = in.shortvec();
        List<Instruction> instructions = new ArrayList<>();
        for (int i = 0; i < instructionCount; i++) {
            int program = in.u8();
            int accountCount = in.shortvec();
            List<Integer> accounts = new ArrayList<>();
            for (int a = 0; a < accountCount; a++) {
                accounts.add(in.u8());
            }
            instructions.add(new Instruction(program, accounts, in.bytes(in.shortvec())));
        }
        byte[] message = Arrays.copyOfRange(wire, messageStart, wire.length);
        return new WireTransaction(
                signatures, required, readonlySigned, readonlyUnsigned, keys, blockhash, instructions, message);
    }

    public String signature() {
        return Base58.encode(signatures.getFirst());
    }

    public String feePayer() {
        return accountKeys.getFirst();
    }

    public String program(Instruction instruction) {
        return accountKeys.get(instruction.programIdIndex());
    }

    public String account(Instruction instruction, int position) {
        return accountKeys.get(instruction.accounts().get(position));
    }

    /** Every signature slot holds a valid ed25519 signature of the message by the matching signer key. */
    public boolean fullySigned() {
        for (int i = 0; i < requiredSignatures; i++) {
            var verifier = new TweetNaclFast.Signature(Base58.decode(accountKeys.get(i)), new byte[64]);
            if (!verifier.detached_verify(message, signatures.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Wire bytes with the signature of {@code signerIndex} filled in by the given secret key. */
    public byte[] signedBy(int signerIndex, byte[] secretKey) {
        byte[] signature = new TweetNaclFast.Signature(null, secretKey).detached(message);
        List<byte[]> filled = new ArrayList<>(signatures);
        filled.set(signerIndex, signature);
        byte[] wire = new byte[1 + 64 * filled.size() + message.length];
        wire[0] = (byte) filled.size();
        for (int i = 0; i < filled.size(); i++) {
            System.arraycopy(filled.get(i), 0, wire, 1 + 64 * i, 64);
        }
        System.arraycopy(message, 0, wire, 1 + 64 * filled.size(), message.length);
        return wire;
    }

    private static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int u8() {
            return bytes[position++] & 0xff;
        }

        int shortvec() {
            int value = 0;
            int shift = 0;
            while (true) {
                int b = u8();
                value |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
                shift += 7;
            }
        }

        byte[] bytes(int length) {
            byte[] out = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return out;
        }
    }
}
