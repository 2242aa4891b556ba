package com.aiw3.audit.log;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Reads the chain: the operators' search over it. */
@Service
public class AuditReader {

    private final JdbcClient jdbc;

    AuditReader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A filter of the read API; null fields do not filter. */
    public record Filter(String userId, UUID upgradeId, String eventType, Instant from, Instant to) {}

    /** Records matching the filter, oldest first; one more than {@code size} is read to tell if a next page exists. */
    public List<AuditRecord> find(Filter filter, int page, int size) {
        return jdbc.sql("""
                        select * from audit_record
                        where (cast(:userId as text) is null or record_key = :userId)
                          and (cast(:upgradeId as uuid) is null or upgrade_id = :upgradeId)
                          and (cast(:type as text) is null or event_type = :type)
                          and (cast(:from as timestamptz) is null or occurred_at >= :from)
                          and (cast(:to as timestamptz) is null or occurred_at < :to)
                        order by seq
                        limit :limit offset :offset""")
                .param("userId", filter.userId())
                .param("upgradeId", filter.upgradeId())
                .param("type", filter.eventType())
                .param("from", filter.from() == null ? null : Timestamp.from(filter.from()))
                .param("to", filter.to() == null ? null : Timestamp.from(filter.to()))
                .param("limit", size + 1)
                .param("offset", (long) page * size)
                .query(AuditReader::map)
                .list();
    }

    static AuditRecord map(ResultSet rs, int row) throws SQLException {
        return new AuditRecord(
                rs.getLong("seq"),
                rs.getObject("event_id", UUID.class),
                rs.getString("topic"),
                rs.getInt("kafka_partition"),
                rs.getLong("kafka_offset"),
                rs.getString("event_type"),
                rs.getInt("event_version"),
                rs.getString("record_key"),
                rs.getObject("upgrade_id", UUID.class),
                rs.getObject("correlation_id", UUID.class),
                rs.getObject("causation_id", UUID.class),
                rs.getString("source"),
                rs.getTimestamp("occurred_at").toInstant(),
                rs.getTimestamp("recorded_at").toInstant(),
                rs.getString("envelope"),
                rs.getBytes("prev_hash"),
                rs.getBytes("hash"));
    }
}
