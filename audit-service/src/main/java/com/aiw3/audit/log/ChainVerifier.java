package com.aiw3.audit.log;

import com.aiw3.audit.AuditProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Verifies the chain in bounded steps. A run starts either at the first record, at a checkpoint (whose
 * hash it compares with the record's before trusting it) or at any record an operator names, recomputes
 * links page by page and stops when the chain ends, a link does not fit, or its time budget is spent; in
 * the last case it answers where to continue. Runs that start from a trusted point leave checkpoints
 * behind, so the next run resumes there. A background run walks the whole chain from the start, because a
 * record edited in place behind a checkpoint is visible only to a walk that covers it.
 */
@Service
public class ChainVerifier {

    private static final Logger log = LoggerFactory.getLogger(ChainVerifier.class);

    private final JdbcClient jdbc;
    private final AuditProperties.Verify settings;
    private final Clock clock = Clock.systemUTC();
    private final AtomicReference<FullVerification> lastFull = new AtomicReference<>();

    ChainVerifier(JdbcClient jdbc, AuditProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.settings = properties.verify();
        // -1 until the first full verification has run: an alert waits for a real 0.
        Gauge.builder("aiw3.audit.chain.intact", lastFull, f -> {
                    FullVerification full = f.get();
                    return full == null ? -1 : full.result().intact() ? 1 : 0;
                })
                .description("1 when the last full verification found the chain intact, 0 when broken")
                .register(meters);
        Gauge.builder("aiw3.audit.chain.verified.records", lastFull, f -> {
                    FullVerification full = f.get();
                    return full == null ? 0 : full.result().checked();
                })
                .description("records covered by the last full verification")
                .register(meters);
    }

    /**
     * The outcome of one run.
     *
     * @param intact         every link checked so far fits
     * @param fromSeq        the first record this run checked
     * @param checked        how many records this run checked
     * @param next           where to continue when the budget ran out before the end; null when the run
     *                       reached the newest record or found a break
     * @param firstBrokenSeq the first record that does not fit, or null
     * @param reason         why it does not fit, or null
     */
    public record Verification(
            boolean intact,
            long fromSeq,
            long checked,
            @Nullable Long next,
            @Nullable Long firstBrokenSeq,
            @Nullable String reason) {

        /** The chain from {@code fromSeq} to its newest record was checked and fits. */
        public boolean complete() {
            return intact && next == null;
        }

        static Verification broken(long fromSeq, long checked, long seq, String reason) {
            return new Verification(false, fromSeq, checked, null, seq, reason);
        }
    }

    /** The newest full verification this instance ran. */
    public record FullVerification(Instant startedAt, Instant finishedAt, Verification result) {}

    /** Continues from the newest checkpoint (the first record when there is none), within the budget. */
    public Verification sinceLastCheckpoint() {
        Long checkpoint = jdbc.sql("select max(seq) from audit_checkpoint")
                .query(Long.class)
                .optional()
                .orElse(null);
        return from(checkpoint == null ? 1 : checkpoint + 1, settings.budget());
    }

    /** Verifies from {@code fromSeq} (1 or more) towards the newest record, within the budget. */
    public Verification from(long fromSeq) {
        return from(fromSeq, settings.budget());
    }

    /** The whole chain from its first record, without a budget; what the background run does. */
    public Verification whole() {
        Instant started = clock.instant();
        Verification result = from(1, null);
        lastFull.set(new FullVerification(started, clock.instant(), result));
        if (!result.intact()) {
            log.error("audit chain broken at record {}: {}", result.firstBrokenSeq(), result.reason());
        }
        return result;
    }

    public FullVerification lastFull() {
        return lastFull.get();
    }

    @Scheduled(
            initialDelayString = "${aiw3.audit.verify.full-initial-delay:2m}",
            fixedDelayString = "${aiw3.audit.verify.full-interval:1h}")
    void verifyInBackground() {
        whole();
    }

    /** Verifies from {@code fromSeq} for at most {@code budget}; a null budget means no limit. */
    public Verification from(long fromSeq, @Nullable Duration budget) {
        Instant deadline = budget == null ? null : clock.instant().plus(budget);
        Start start = start(fromSeq);
        if (start.broken() != null) {
            return start.broken();
        }
        byte[] prev = start.prevHash();
        boolean trusted = start.trusted();
        long expectedSeq = fromSeq;
        long checked = 0;
        long checkpointed = 0;
        while (true) {
            List<AuditRecord> page = jdbc.sql("select * from audit_record where seq >= ? order by seq limit ?")
                    .params(expectedSeq, settings.pageSize())
                    .query(AuditReader::map)
                    .list();
            if (page.isEmpty()) {
                if (trusted && checked > 0 && checkpointed != expectedSeq - 1) {
                    checkpoint(expectedSeq - 1, prev);
                }
                return new Verification(true, fromSeq, checked, null, null, null);
            }
            for (AuditRecord record : page) {
                if (record.seq() != expectedSeq) {
                    return Verification.broken(fromSeq, checked, expectedSeq, "record " + expectedSeq + " is missing");
                }
                if (!Arrays.equals(record.prevHash(), prev)) {
                    return Verification.broken(fromSeq, checked, record.seq(), "does not link to the record before it");
                }
                byte[] recomputed = ChainHash.of(record.withHash(null));
                if (!Arrays.equals(recomputed, record.hash())) {
                    return Verification.broken(fromSeq, checked, record.seq(), "contents do not match its hash");
                }
                prev = recomputed;
                expectedSeq++;
                checked++;
                if (trusted && record.seq() % settings.checkpointEvery() == 0) {
                    checkpoint(record.seq(), prev);
                    checkpointed = record.seq();
                }
            }
            if (deadline != null && !clock.instant().isBefore(deadline)) {
                if (trusted && checkpointed != expectedSeq - 1) {
                    // The next run, from `next`, then starts from a trusted point too.
                    checkpoint(expectedSeq - 1, prev);
                }
                return new Verification(true, fromSeq, checked, expectedSeq, null, null);
            }
        }
    }

    /** Where a run stands before its first record: the hash it must link to, and whether that is trusted. */
    private record Start(
            byte[] prevHash, boolean trusted, @Nullable Verification broken) {}

    private Start start(long fromSeq) {
        if (fromSeq <= 1) {
            return new Start(ChainHash.GENESIS, true, null);
        }
        long before = fromSeq - 1;
        byte[] stored = jdbc.sql("select hash from audit_record where seq = ?")
                .param(before)
                .query(byte[].class)
                .optional()
                .orElse(null);
        byte[] checkpointed = jdbc.sql("select hash from audit_checkpoint where seq = ?")
                .param(before)
                .query(byte[].class)
                .optional()
                .orElse(null);
        if (checkpointed != null && stored == null) {
            return new Start(
                    new byte[0], false, Verification.broken(fromSeq, 0, before, "record " + before + " is missing"));
        }
        if (checkpointed != null && !Arrays.equals(checkpointed, stored)) {
            return new Start(
                    new byte[0],
                    false,
                    Verification.broken(
                            fromSeq,
                            0,
                            before,
                            "its hash no longer matches the checkpoint taken when it was verified: "
                                    + "the chain up to it was rewritten"));
        }
        if (stored == null) {
            // Past the newest record: nothing to check, and nothing to trust either.
            return new Start(new byte[0], false, null);
        }
        return new Start(stored, checkpointed != null, null);
    }

    private void checkpoint(long seq, byte[] hash) {
        jdbc.sql("insert into audit_checkpoint (seq, hash, verified_at) values (?, ?, ?) on conflict (seq) do nothing")
                .params(seq, hash, Timestamp.from(clock.instant()))
                .update();
    }
}
