package com.aiw3.notification.broadcast;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.web.Problems;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends a broadcast: its row and its event (through the outbox) in one transaction, so it is recorded if and
 * only if it goes out. With an Idempotency-Key, the first request of an operator under that key is the
 * broadcast; a repeat of it is answered with that broadcast and sends nothing, a different request under
 * the same key is a conflict.
 */
@Component
class Broadcasts {

    private final JdbcClient jdbc;
    private final EventPublisher events;
    private final TransactionTemplate tx;
    private final String source;

    Broadcasts(JdbcClient jdbc, EventPublisher events, TransactionTemplate tx, MessagingProperties messaging) {
        this.jdbc = jdbc;
        this.events = events;
        this.tx = tx;
        this.source = messaging.source();
    }

    record Sent(Broadcast broadcast, boolean replayed) {}

    Sent send(String operator, Broadcast.Request request, @Nullable String idempotencyKey) {
        return Objects.requireNonNull(tx.execute(status -> {
            UUID id = EventIds.next();
            EventEnvelope<?> event = EventEnvelope.of(request.event(id), source);
            int inserted = jdbc.sql("""
                            insert into broadcasts
                                (id, kind, message, start_time, end_time, items, operator_id, idempotency_key, event_id)
                            values (:id, :kind, :message, :start, :end, :items, :operator, :key, :event)
                            on conflict (operator_id, idempotency_key) do nothing
                            """)
                    .param("id", id)
                    .param("kind", request.kind())
                    .param("message", request.message())
                    .param("start", timestamp(request.startTime()))
                    .param("end", timestamp(request.endTime()))
                    .param("items", request.items().toArray(String[]::new))
                    .param("operator", operator)
                    .param("key", idempotencyKey)
                    .param("event", event.eventId())
                    .update();
            if (inserted == 1) {
                events.publish(event);
                return new Sent(find(id).orElseThrow(), false);
            }
            // Only an Idempotency-Key conflicts: this operator sent a broadcast under it before.
            Broadcast sent = jdbc.sql(
                            "select * from broadcasts where operator_id = :operator and idempotency_key = :key")
                    .param("operator", operator)
                    .param("key", idempotencyKey)
                    .query(Broadcasts::row)
                    .single();
            if (!request.sameAs(sent)) {
                throw Problems.conflict(
                        "this Idempotency-Key was used for another broadcast (" + sent.broadcastId() + ")");
            }
            return new Sent(sent, true);
        }));
    }

    private Optional<Broadcast> find(UUID id) {
        return jdbc.sql("select * from broadcasts where id = :id")
                .param("id", id)
                .query(Broadcasts::row)
                .optional();
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Broadcast row(ResultSet rs, int n) throws SQLException {
        Array items = rs.getArray("items");
        return new Broadcast(
                rs.getObject("id", UUID.class),
                rs.getString("kind"),
                rs.getString("message"),
                instant(rs.getTimestamp("start_time")),
                instant(rs.getTimestamp("end_time")),
                items == null ? List.of() : List.of((String[]) items.getArray()),
                rs.getString("operator_id"),
                rs.getObject("event_id", UUID.class),
                rs.getTimestamp("created_at").toInstant());
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
