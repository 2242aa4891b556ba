package com.aiw3.audit.log;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One link of the audit chain. {@code hash} commits to every other field and to {@code prevHash}. */
public record AuditRecord(
        long seq,
        UUID eventId,
        String topic,
        int partition,
        long offset,
        String eventType,
        int eventVersion,
        String recordKey,
        @Nullable UUID upgradeId,
        UUID correlationId,
        @Nullable UUID causationId,
        String source,
        Instant occurredAt,
        Instant recordedAt,
        String envelope,
        byte[] prevHash,
        byte @Nullable [] hash) {

    /** The same link with its hash set (or cleared, with null, to recompute it). */
    AuditRecord withHash(byte @Nullable [] newHash) {
        return new AuditRecord(
                seq,
                eventId,
                topic,
                partition,
                offset,
                eventType,
                eventVersion,
                recordKey,
                upgradeId,
                correlationId,
                causationId,
                source,
                occurredAt,
                recordedAt,
                envelope,
                prevHash,
                newHash);
    }
}
