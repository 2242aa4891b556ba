package com.aiw3.audit.log;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.serde.EventCodec;
import com.aiw3.events.serde.MalformedEventException;
import com.aiw3.events.upgrade.UpgradeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends events to the chain. One appender at a time (a transaction-scoped advisory lock), so each
 * record's {@code prevHash} is the hash of the record committed just before it, across instances.
 */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    /** "AIW3" and 2: the advisory lock of the audit chain. */
    private static final long CHAIN_LOCK = 0x4149573300000002L;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final Clock clock;
    private final Counter recorded;
    private final Counter duplicates;
    private final Counter unreadable;

    AuditLog(JdbcClient jdbc, JdbcTemplate batch, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.clock = Clock.systemUTC();
        this.recorded = meters.counter("aiw3.audit.records", "outcome", "recorded");
        this.duplicates = meters.counter("aiw3.audit.records", "outcome", "duplicate");
        this.unreadable = meters.counter("aiw3.audit.records", "outcome", "unreadable");
    }

    /** Appends the new events of a batch; redelivered ones (same event id) are skipped. */
    @Transactional
    public int append(List<IncomingEvent> incoming) {
        List<Parsed> parsed = new ArrayList<>(incoming.size());
        for (IncomingEvent event : incoming) {
            try {
                parsed.add(new Parsed(event, EventCodec.DEFAULT.read(event.envelope())));
            } catch (MalformedEventException e) {
                // Not an event at all: its own consumers dead-letter it; the chain records events only.
                unreadable.increment();
                log.warn(
                        "unreadable record {}-{}@{}: {}",
                        event.topic(),
                        event.partition(),
                        event.offset(),
                        e.getMessage());
            }
        }
        if (parsed.isEmpty()) {
            return 0;
        }
        jdbc.sql("select pg_advisory_xact_lock(?)").param(CHAIN_LOCK).query().singleValue();
        Set<UUID> seen = new HashSet<>(jdbc.sql("select event_id from audit_record where event_id = any(?)")
                .param(parsed.stream().map(p -> p.envelope().eventId()).toArray(UUID[]::new))
                .query(UUID.class)
                .list());
        Head head = head();
        long seq = head.seq();
        byte[] prev = head.hash();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<AuditRecord> links = new ArrayList<>();
        for (Parsed p : parsed) {
            EventEnvelope<EventPayload> e = p.envelope();
            if (!seen.add(e.eventId())) {
                duplicates.increment();
                continue;
            }
            UUID upgradeId = e.payload() instanceof UpgradeEvent upgrade ? upgrade.upgradeId() : null;
            AuditRecord unsigned = new AuditRecord(
                    ++seq,
                    e.eventId(),
                    p.incoming().topic(),
                    p.incoming().partition(),
                    p.incoming().offset(),
                    e.type(),
                    e.version(),
                    e.key(),
                    upgradeId,
                    e.correlationId(),
                    e.causationId(),
                    e.source(),
                    e.occurredAt().truncatedTo(ChronoUnit.MICROS),
                    now,
                    new String(p.incoming().envelope(), StandardCharsets.UTF_8),
                    prev,
                    null);
            byte[] hash = ChainHash.of(unsigned);
            links.add(unsigned.withHash(hash));
            prev = hash;
        }
        insert(links);
        recorded.increment(links.size());
        return links.size();
    }

    private record Parsed(IncomingEvent incoming, EventEnvelope<EventPayload> envelope) {}

    /** The newest link: what an external anchor should keep to detect removal of the tail. */
    public record Head(long seq, byte[] hash) {}

    public Head head() {
        return jdbc.sql("select seq, hash from audit_record order by seq desc limit 1")
                .query((rs, row) -> new Head(rs.getLong(1), rs.getBytes(2)))
                .optional()
                .orElse(new Head(0, ChainHash.GENESIS));
    }

    private void insert(List<AuditRecord> links) {
        batch.batchUpdate(
                """
                insert into audit_record (seq, event_id, topic, kafka_partition, kafka_offset, event_type, event_version,
                    record_key, upgrade_id, correlation_id, causation_id, source, occurred_at, recorded_at, envelope,
                    prev_hash, hash)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                links.stream()
                        .map(r -> new Object[] {
                            r.seq(),
                            r.eventId(),
                            r.topic(),
                            r.partition(),
                            r.offset(),
                            r.eventType(),
                            r.eventVersion(),
                            r.recordKey(),
                            r.upgradeId(),
                            r.correlationId(),
                            r.causationId(),
                            r.source(),
                            Timestamp.from(r.occurredAt()),
                            Timestamp.from(r.recordedAt()),
                            r.envelope(),
                            r.prevHash(),
                            r.hash()
                        })
                        .toList());
    }
}
