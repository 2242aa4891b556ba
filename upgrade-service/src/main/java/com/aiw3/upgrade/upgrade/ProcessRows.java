package com.aiw3.upgrade.upgrade;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.upgrade.UpgradeProperties;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the upgrades and the claims tables share: a row changes by one versioned update (optimistic lock)
 * that extends the lease of whoever drives it, and the lease itself (which instance drives an in-flight
 * row). {@code table}, {@code columns} and the statuses are constants of the stores, never input.
 */
final class ProcessRows<T extends ProcessRows.Row<S>, S extends Enum<S>> {

    /** A row as persisted, at one version. */
    interface Row<S> {
        UUID id();

        int version();

        S status();

        /**
         * The trace context ({@code traceparent}) of the request that created the row, which its steps
         * continue; null if it was created outside any span.
         */
        @Nullable
        String traceParent();
    }

    /**
     * What a transition records besides the status; each kind is one or two columns of the row. The burn's
     * kinds are the upgrade's only (a claim burns nothing).
     */
    sealed interface Change {
        /** Every requirement of the tier asked for, with the user's standing. */
        record Requirements(List<Requirement> requirements) implements Change {}

        /** Why the process stopped; null clears it (an operator's retry, a late burn). */
        record FailureReason(@Nullable String reason) implements Change {}

        /** The unsigned burn for the user's wallet and the time it must be confirmed by. */
        record BurnPrepared(String transaction, Instant deadline) implements Change {}

        /** The signature of the burn that was verified or that failed on chain. */
        record BurnSignature(String signature) implements Change {}

        /** The NFT's metadata on IPFS. */
        record Metadata(String cid, String uri) implements Change {}

        /** The mint address derived for the process. */
        record MintAddress(String address) implements Change {}

        /** The signature of the mint that landed. */
        record MintSignature(String signature) implements Change {}

        /** Nobody drives the process until the pipeline leases it again. */
        record LeaseReleased() implements Change {}
    }

    /**
     * A process type's table and state machine.
     *
     * @param name              the table
     * @param noun              what a row is called in messages ("upgrade", "claim")
     * @param columns           the columns a read returns
     * @param mintAddressColumn the column of the derived mint address
     * @param moves             the state machine: whether a row may move from the first status to the second
     * @param wireName          a status as the table stores it
     * @param inFlight          the statuses the pipeline drives (recovery resumes those whose lease ran out)
     */
    record Table<S>(
            String name,
            String noun,
            String columns,
            String mintAddressColumn,
            BiPredicate<S, S> moves,
            Function<S, String> wireName,
            Set<S> inFlight) {}

    private final JdbcClient jdbc;
    private final Table<S> table;
    private final RowMapper<T> mapper;
    private final Duration lease;
    private final JsonMapper json;
    private final EventPublisher events;
    private final String source;

    ProcessRows(
            JdbcClient jdbc,
            Table<S> table,
            RowMapper<T> mapper,
            UpgradeProperties properties,
            JsonMapper json,
            EventPublisher events,
            MessagingProperties messaging) {
        this.jdbc = jdbc;
        this.table = table;
        this.mapper = mapper;
        this.lease = properties.lease();
        this.json = json;
        this.events = events;
        this.source = messaging.source();
    }

    /** Whether the pipeline drives the process at this status. */
    boolean inFlight(T row) {
        return table.inFlight().contains(row.status());
    }

    /** What a row is called in messages and span names ("upgrade", "claim"). */
    String noun() {
        return table.noun();
    }

    Optional<T> find(UUID id) {
        return jdbc.sql("select " + table.columns() + " from " + table.name() + " where id = :id")
                .param("id", id)
                .query(mapper)
                .optional();
    }

    /**
     * Moves the row to {@code to}, recording {@code changes} with it, and publishes {@code event} through the
     * outbox in the caller's transaction.
     *
     * @throws IllegalStateException if the state machine has no such move
     * @throws StaleUpgradeException if the row is no longer at {@code from}'s version
     */
    T move(T from, S to, EventPayload event, Change... changes) {
        if (!table.moves().test(from.status(), to)) {
            throw new IllegalStateException(
                    "no move of " + table.noun() + " " + from.id() + " from " + from.status() + " to " + to);
        }
        Map<String, @Nullable Object> values = values(changes);
        values.put("status", table.wireName().apply(to));
        T moved = update(from, values);
        publish(from.id(), event);
        return moved;
    }

    /** Publishes a step of the process through the outbox in the caller's transaction. */
    void publish(UUID id, EventPayload event) {
        events.publish(EventEnvelope.correlated(id, event, source));
    }

    /**
     * Records {@code changes} without a change of status.
     *
     * @throws StaleUpgradeException if the row is no longer at {@code from}'s version
     */
    T change(T from, Change... changes) {
        return update(from, values(changes));
    }

    private Map<String, @Nullable Object> values(Change... changes) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        for (Change change : changes) {
            columns(change, values);
        }
        return values;
    }

    private void columns(Change change, Map<String, @Nullable Object> values) {
        switch (change) {
            case Change.Requirements(List<Requirement> requirements) ->
                values.put("requirements", json.writeValueAsString(requirements));
            case Change.FailureReason(String reason) -> values.put("failure_reason", reason);
            case Change.BurnPrepared(String transaction, Instant deadline) -> {
                values.put("burn_transaction", transaction);
                values.put("burn_deadline", deadline);
            }
            case Change.BurnSignature(String signature) -> values.put("burn_tx_signature", signature);
            case Change.Metadata(String cid, String uri) -> {
                values.put("metadata_cid", cid);
                values.put("metadata_uri", uri);
            }
            case Change.MintAddress(String address) -> values.put(table.mintAddressColumn(), address);
            case Change.MintSignature(String signature) -> values.put("mint_signature", signature);
            case Change.LeaseReleased() -> values.put("lease_owner", null);
        }
    }

    /** Sets {@code values} (column → value; {@code requirements} is JSON) if the row is still at its version. */
    private T update(T from, Map<String, @Nullable Object> values) {
        String assignments = values.keySet().stream()
                .map(column -> column.equals("requirements")
                        ? column + " = cast(:" + column + " as jsonb)"
                        : column + " = :" + column)
                .collect(Collectors.joining(", "));
        // The lease of whoever drives the row is extended with every step it persists.
        var statement = jdbc.sql("update " + table.name() + " set " + assignments
                        + ", version = version + 1, updated_at = now(),"
                        + " lease_until = case when lease_owner is null then null"
                        + " else now() + make_interval(secs => :leaseSeconds) end"
                        + " where id = :id and version = :version returning " + table.columns())
                .param("id", from.id())
                .param("version", from.version())
                .param("leaseSeconds", lease.toMillis() / 1000.0);
        for (var entry : values.entrySet()) {
            statement = statement.param(entry.getKey(), sqlValue(entry.getValue()));
        }
        return statement
                .query(mapper)
                .optional()
                .orElseThrow(() -> new StaleUpgradeException(
                        table.noun() + " " + from.id() + " moved on since version " + from.version()));
    }

    /** A timestamp column as an instant; null for SQL null. */
    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable Object sqlValue(@Nullable Object value) {
        return value instanceof Instant instant ? Timestamp.from(instant) : value;
    }

    // ---- leases: which instance drives an in-flight row ---------------------------------------------

    /** Takes (or extends) {@code owner}'s lease of the row; false if another owner's has not run out. */
    boolean lease(UUID id, String owner) {
        return leaseStatement(id, owner, "").update() == 1;
    }

    /**
     * Takes (or extends) {@code owner}'s lease of the row and returns the row as leased; empty if another
     * owner's lease has not run out.
     */
    Optional<T> leaseAndRead(UUID id, String owner) {
        return leaseStatement(id, owner, " returning " + table.columns())
                .query(mapper)
                .optional();
    }

    private JdbcClient.StatementSpec leaseStatement(UUID id, String owner, String returning) {
        return jdbc.sql("update " + table.name() + """
                         set lease_owner = :owner, lease_until = now() + make_interval(secs => :seconds)
                        where id = :id and (lease_until is null or lease_until < now() or lease_owner = :owner)""" + returning)
                .param("owner", owner)
                .param("seconds", lease.toMillis() / 1000.0)
                .param("id", id);
    }

    void release(UUID id, String owner) {
        jdbc.sql("update " + table.name()
                        + " set lease_owner = null, lease_until = null where id = :id and lease_owner = :owner")
                .param("id", id)
                .param("owner", owner)
                .update();
    }

    /**
     * In-flight rows nobody drives (their lease ran out), the longest untouched first. The statuses are written
     * into the statement so that the table's partial index of in-flight rows serves it.
     */
    List<UUID> abandoned(int limit) {
        String statuses = table.inFlight().stream()
                .map(status -> "'" + table.wireName().apply(status) + "'")
                .collect(Collectors.joining(", "));
        return jdbc.sql("select id from " + table.name() + " where status in (" + statuses + ")"
                        + " and (lease_until is null or lease_until < now()) order by updated_at limit :limit")
                .param("limit", limit)
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }
}
