package com.aiw3.audit.api;

import com.aiw3.audit.log.AuditLog;
import com.aiw3.audit.log.AuditReader;
import com.aiw3.audit.log.AuditRecord;
import com.aiw3.audit.log.ChainVerifier;
import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operator-only reads of the audit log. Documented in the module README. */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    private static final HexFormat HEX = HexFormat.of();

    private final AuditReader reader;
    private final AuditLog auditLog;
    private final ChainVerifier verifier;

    AuditController(AuditReader reader, AuditLog auditLog, ChainVerifier verifier) {
        this.reader = reader;
        this.auditLog = auditLog;
        this.verifier = verifier;
    }

    record RecordView(
            long seq,
            UUID eventId,
            String topic,
            int partition,
            long offset,
            String type,
            int version,
            String key,
            @Nullable UUID upgradeId,
            UUID correlationId,
            @Nullable UUID causationId,
            String source,
            Instant occurredAt,
            Instant recordedAt,
            @JsonRawValue String envelope,
            String prevHash,
            String hash) {

        static RecordView of(AuditRecord r) {
            return new RecordView(
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
                    r.occurredAt(),
                    r.recordedAt(),
                    r.envelope(),
                    HEX.formatHex(r.prevHash()),
                    HEX.formatHex(r.hash()));
        }
    }

    record Page(List<RecordView> items, int page, int size, boolean hasNext) {}

    @ApiResponse(responseCode = "200", description = "one page of audit records, oldest first")
    @ApiResponse(responseCode = "400", description = "a parameter out of range or malformed, or from not before to")
    @ApiResponse(responseCode = "403", description = "the caller is not an operator")
    @GetMapping("/events")
    Page events(
            Caller caller,
            @RequestParam(required = false) @Size(min = 1, max = 200) String userId,
            @RequestParam(required = false) UUID upgradeId,
            @RequestParam(required = false) @Size(min = 1, max = 100) String type,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        caller.requireRole(Caller.OPERATOR);
        if (from != null && to != null && !from.isBefore(to)) {
            throw Problems.badRequest("'from' must be before 'to'");
        }
        List<AuditRecord> found = reader.find(new AuditReader.Filter(userId, upgradeId, type, from, to), page, size);
        boolean hasNext = found.size() > size;
        return new Page(found.stream().limit(size).map(RecordView::of).toList(), page, size, hasNext);
    }

    /**
     * One verification run and, beside it, the newest full verification of the chain from its start.
     *
     * @param complete the chain from {@code fromSeq} to the head was checked and fits
     * @param next     where to continue ({@code ?from=next}) when the time budget ran out first
     */
    record VerifyView(
            boolean intact,
            boolean complete,
            long fromSeq,
            long checked,
            @Nullable Long next,
            @Nullable Long firstBrokenSeq,
            @Nullable String reason,
            long headSeq,
            String headHash,
            @Nullable FullView lastFullVerification) {}

    record FullView(
            Instant startedAt,
            Instant finishedAt,
            boolean intact,
            long checked,
            @Nullable Long firstBrokenSeq) {}

    /**
     * Without {@code from}: continues from the newest checkpoint, so the answer covers what was appended since
     * the chain was last verified. With {@code from=1}: a walk from the start, in budget-sized steps.
     */
    @ApiResponse(responseCode = "200", description = "the verification run and the newest full verification")
    @ApiResponse(responseCode = "400", description = "from below 1")
    @ApiResponse(responseCode = "403", description = "the caller is not an operator")
    @GetMapping("/verify")
    VerifyView verify(Caller caller, @RequestParam(required = false) @Min(1) Long from) {
        caller.requireRole(Caller.OPERATOR);
        AuditLog.Head head = auditLog.head();
        ChainVerifier.Verification v = from == null ? verifier.sinceLastCheckpoint() : verifier.from(from);
        ChainVerifier.FullVerification full = verifier.lastFull();
        return new VerifyView(
                v.intact(),
                v.complete(),
                v.fromSeq(),
                v.checked(),
                v.next(),
                v.firstBrokenSeq(),
                v.reason(),
                head.seq(),
                HEX.formatHex(head.hash()),
                full == null
                        ? null
                        : new FullView(
                                full.startedAt(),
                                full.finishedAt(),
                                full.result().intact(),
                                full.result().checked(),
                                full.result().firstBrokenSeq()));
    }
}
