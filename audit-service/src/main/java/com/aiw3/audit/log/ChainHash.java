package com.aiw3.audit.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 over the previous hash and every field of a record, each length-prefixed so no two different
 * records encode alike. Changing, inserting or removing any record breaks every later link.
 */
final class ChainHash {

    static final byte[] GENESIS = new byte[32];

    private ChainHash() {}

    static byte[] of(AuditRecord r) {
        MessageDigest digest = sha256();
        digest.update(r.prevHash());
        field(digest, Long.toString(r.seq()));
        field(digest, r.eventId().toString());
        field(digest, r.topic());
        field(digest, Integer.toString(r.partition()));
        field(digest, Long.toString(r.offset()));
        field(digest, r.eventType());
        field(digest, Integer.toString(r.eventVersion()));
        field(digest, r.recordKey());
        field(digest, r.upgradeId() == null ? "" : r.upgradeId().toString());
        field(digest, r.correlationId().toString());
        field(digest, r.causationId() == null ? "" : r.causationId().toString());
        field(digest, r.source());
        field(digest, r.occurredAt().toString());
        field(digest, r.recordedAt().toString());
        field(digest, r.envelope());
        return digest.digest();
    }

    private static void field(MessageDigest digest, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
