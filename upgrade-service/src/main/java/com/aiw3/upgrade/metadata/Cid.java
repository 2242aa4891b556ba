package com.aiw3.upgrade.metadata;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * CIDv1 of a small file as Kubo's {@code add --cid-version=1} stores it: one raw leaf (codec 0x55),
 * sha2-256 multihash, base32 multibase. Holds for content up to the default chunk size (256 KiB).
 */
public final class Cid {

    public static final int MAX_SINGLE_BLOCK = 256 * 1024;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private Cid() {}

    public static String rawV1(byte[] content) {
        if (content.length > MAX_SINGLE_BLOCK) {
            throw new IllegalArgumentException(
                    "content over one block (256 KiB) is chunked; its CID is not a raw leaf");
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] cid = new byte[4 + digest.length];
        cid[0] = 0x01; // CID version 1
        cid[1] = 0x55; // raw
        cid[2] = 0x12; // sha2-256
        cid[3] = 0x20; // 32 bytes
        System.arraycopy(digest, 0, cid, 4, digest.length);
        return "b" + base32(cid);
    }

    private static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }
}
