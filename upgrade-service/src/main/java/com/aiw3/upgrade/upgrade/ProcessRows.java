package com.aiw3.upgrade.upgrade;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the upgrades and the claims tables share: a row changes by one versioned update (optimistic lock)
 * that extends the lease of whoever drives it, and the lease itself (which instance drives an in-flight
 * row). {@code table} and {@code columns} are constants of the stores, never input.
 */
final class ProcessRows<T> {

    private final JdbcClient jdbc;
    private final String table;
    private final String columns;
    private final RowMapper<T> mapper;
    private final Duration lease;

    ProcessRows(JdbcClient jdbc, String table, String columns, RowMapper<T> mapper, Duration lease) {
        this.jdbc = jdbc;
        this.table = table;
        this.columns = columns;
        this.mapper = mapper;
        this.lease = lease;
    }

    /** Sets {@code values} (column → value; {@code requirements} is JSON) if the row is still at {@code version}. */
    Optional<T> update(UUID id, int version, Map<String, @Nullable Object> values) {
        String assignments = values.keySet().stream()
                .map(column -> column.equals("requirements")
                        ? column + " = cast(:" + column + " as jsonb)"
                        : column + " = :" + column)
                .collect(Collectors.joining(", "));
        // The lease of whoever drives the row is extended with every step it persists.
        var statement = jdbc.sql("update " + table + " set " + assignments
                        + ", version = version + 1, updated_at = now(),"
                        + " lease_until = case when lease_owner is null then null"
                        + " else now() + make_interval(secs => :leaseSeconds) end"
                        + " where id = :id and version = :version returning " + columns)
                .param("id", id)
                .param("version", version)
                .param("leaseSeconds", lease.toMillis() / 1000.0);
        for (var entry : values.entrySet()) {
            statement = statement.param(entry.getKey(), sqlValue(entry.getValue()));
        }
        return statement.query(mapper).optional();
    }

    private static @Nullable Object sqlValue(@Nullable Object value) {
        return value instanceof Instant instant ? Timestamp.from(instant) : value;
    }

    /** Takes (or extends) {@code owner}'s lease of the row; false if another owner's has not run out. */
    boolean lease(UUID id, String owner) {
        return jdbc.sql("update " + table + """
                         set lease_owner = :owner, lease_until = now() + make_interval(secs => :seconds)
                        where id = :id and (lease_until is null or lease_until < now() or lease_owner = :owner)""")
                        .param("owner", owner)
                        .param("seconds", lease.toMillis() / 1000.0)
                        .param("id", id)
                        .update()
                == 1;
    }

    void release(UUID id, String owner) {
        jdbc.sql("update " + table
                        + " set lease_owner = null, lease_until = null where id = :id and lease_owner = :owner")
                .param("id", id)
                .param("owner", owner)
                .update();
    }
}
