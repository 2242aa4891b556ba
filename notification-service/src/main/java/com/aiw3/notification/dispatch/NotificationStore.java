package com.aiw3.notification.dispatch;

import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.notification.Priority;
import com.aiw3.events.realtime.EventCategory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Component
class NotificationStore {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    NotificationStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * False when the notification is already known (a redelivered request). {@code inFeed}: whether it is
     * an item of its user's inbox (support alerts are not). {@code sourceOccurredAt} is when the event it
     * comes from was committed at its source.
     */
    boolean insert(NotificationRequested r, boolean inFeed, Instant sourceOccurredAt) {
        return jdbc.sql("""
                                insert into notifications (id, user_id, priority, category, template, title, body, data, status,
                                    in_feed, source_occurred_at)
                                values (:id, :user, :priority, :category, :template, :title, :body, cast(:data as jsonb),
                                    'dispatching', :inFeed, :occurred)
                                on conflict (id) do nothing""")
                        .param("occurred", Timestamp.from(sourceOccurredAt))
                        .param("id", r.notificationId())
                        .param("inFeed", inFeed)
                        .param("user", r.userId())
                        .param("priority", r.priority().wireName())
                        .param("category", r.category().name())
                        .param("template", r.template())
                        .param("title", r.title())
                        .param("body", r.body())
                        .param("data", json.writeValueAsString(r.data()))
                        .update()
                == 1;
    }

    Optional<StoredNotification> find(UUID id) {
        return jdbc.sql("""
                        select id, user_id, priority, category, template, title, body, data::text as data, status,
                            realtime_event_id, source_occurred_at
                        from notifications where id = :id""")
                .param("id", id)
                .query((rs, row) -> new StoredNotification(
                        new NotificationRequested(
                                rs.getObject("id", UUID.class),
                                rs.getString("user_id"),
                                Priority.valueOf(rs.getString("priority").toUpperCase(java.util.Locale.ROOT)),
                                EventCategory.valueOf(rs.getString("category")),
                                rs.getString("template"),
                                rs.getString("title"),
                                rs.getString("body"),
                                json.readValue(rs.getString("data"), new TypeReference<Map<String, String>>() {})),
                        rs.getString("status"),
                        rs.getObject("realtime_event_id", UUID.class),
                        Optional.ofNullable(rs.getTimestamp("source_occurred_at"))
                                .map(Timestamp::toInstant)
                                .orElse(null)))
                .optional();
    }

    void awaitRealtime(UUID id, UUID eventId, Instant deadline) {
        jdbc.sql("""
                        update notifications set status = 'awaiting_realtime', realtime_event_id = :event,
                            realtime_deadline = :deadline, updated_at = now() where id = :id""")
                .param("id", id)
                .param("event", eventId)
                .param("deadline", Timestamp.from(deadline))
                .update();
    }

    /**
     * The stream confirmed the real-time event: the notification waiting for it is delivered (once). A
     * confirmation nothing waits for is kept, for an event consumed here after sse-gateway delivered it.
     */
    Optional<StoredNotification> confirmRealtime(UUID realtimeEventId) {
        Optional<StoredNotification> confirmed = jdbc.sql("""
                        update notifications set status = 'delivered', updated_at = now()
                        where realtime_event_id = :event and status = 'awaiting_realtime' returning id""")
                .param("event", realtimeEventId)
                .query(UUID.class)
                .optional()
                .flatMap(this::find);
        if (confirmed.isEmpty()) {
            jdbc.sql("insert into realtime_confirmations (event_id) values (:event) on conflict do nothing")
                    .param("event", realtimeEventId)
                    .update();
        }
        return confirmed;
    }

    /** Confirmations are only needed for the moments between two consumers; older ones are dropped. */
    int forgetConfirmations(Duration olderThan) {
        return jdbc.sql("delete from realtime_confirmations where confirmed_at < now() - make_interval(secs => :s)")
                .param("s", olderThan.toMillis() / 1000.0)
                .update();
    }

    boolean alreadyConfirmed(UUID realtimeEventId) {
        return jdbc.sql("select exists (select 1 from realtime_confirmations where event_id = :event)")
                .param("event", realtimeEventId)
                .query(Boolean.class)
                .single();
    }

    /** Takes a notification out of its real-time wait for the third-party fallback; false if it left already. */
    boolean fallBack(UUID id) {
        return jdbc.sql("""
                                update notifications set status = 'dispatching', updated_at = now()
                                where id = :id and status = 'awaiting_realtime'""").param("id", id).update() == 1;
    }

    Optional<UUID> byRealtimeEvent(UUID realtimeEventId) {
        return jdbc.sql("select id from notifications where realtime_event_id = :event")
                .param("event", realtimeEventId)
                .query(UUID.class)
                .optional();
    }

    List<UUID> expiredRealtime(int limit) {
        return jdbc.sql("""
                        select id from notifications where status = 'awaiting_realtime' and realtime_deadline < now()
                        order by realtime_deadline limit :limit""")
                .param("limit", limit)
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }

    /** Dispatches whose instance stopped: nothing touched them for {@code stalled}. */
    List<UUID> stalled(Duration stalled, int limit) {
        return jdbc.sql("""
                        update notifications set updated_at = now()
                        where id in (select id from notifications where status = 'dispatching'
                                     and updated_at < now() - make_interval(secs => :seconds)
                                     order by updated_at limit :limit for update skip locked)
                        returning id""")
                .param("seconds", stalled.toMillis() / 1000.0)
                .param("limit", limit)
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }

    void finish(UUID id, String status) {
        jdbc.sql("update notifications set status = :status, updated_at = now() where id = :id")
                .param("status", status)
                .param("id", id)
                .update();
    }

    /** Holds a notification for an offline user until {@code until}: read in the app by then, it is not sent. */
    void hold(UUID id, Instant until) {
        jdbc.sql("update notifications set status = 'held', fallback_at = :until, updated_at = now() where id = :id")
                .param("id", id)
                .param("until", Timestamp.from(until))
                .update();
    }

    List<UUID> dueHeld(int limit) {
        return jdbc.sql("""
                        select id from notifications where status = 'held' and fallback_at <= now()
                        order by fallback_at limit :limit""")
                .param("limit", limit)
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }

    /** Ends the hold of a notification for the third-party plan; false if it ended already. */
    boolean release(UUID id) {
        return jdbc.sql("""
                                update notifications set status = 'dispatching', updated_at = now()
                                where id = :id and status = 'held'""").param("id", id).update() == 1;
    }

    /** Whether the user read the notification in the app (in the inbox, or as the item that replaced it). */
    boolean readInApp(UUID id) {
        return jdbc.sql("select read_at is not null from notifications where id = :id")
                .param("id", id)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    /** Suppressed by quiet hours for a user who asked for a digest: it waits for them to end at {@code due}. */
    void awaitDigest(UUID id, Instant due) {
        jdbc.sql("update notifications set digest_due = :due where id = :id")
                .param("id", id)
                .param("due", Timestamp.from(due))
                .update();
    }

    /** Users with notifications whose quiet hours have ended, those waiting longest first. */
    List<String> digestsDue(int limit) {
        return jdbc.sql("""
                        select user_id from notifications where digest_due <= now()
                        group by user_id order by min(digest_due) limit :limit""").param("limit", limit).query(String.class).list();
    }

    /** A notification that waits for a digest: its title, when it is due, and whether it is still unread. */
    record Waiting(UUID id, String title, Instant due, boolean unread) {}

    /**
     * The user's notifications whose quiet hours have ended, oldest first, locked for the rest of the
     * transaction; rows another transaction holds are skipped (it is making their digest).
     */
    List<Waiting> claimDigestDue(String userId) {
        return jdbc.sql("""
                        select id, title, digest_due, read_at is null and archived_at is null as unread
                        from notifications where user_id = :user and digest_due <= now()
                        order by created_at, id
                        for update skip locked""")
                .param("user", userId)
                .query((rs, row) -> new Waiting(
                        rs.getObject("id", UUID.class),
                        rs.getString("title"),
                        rs.getTimestamp("digest_due").toInstant(),
                        rs.getBoolean("unread")))
                .list();
    }

    /** The notifications wait on: the user's quiet hours now end at {@code due}. */
    void postponeDigest(List<UUID> ids, Instant due) {
        jdbc.sql("update notifications set digest_due = :due where id in (:ids)")
                .param("ids", ids)
                .param("due", Timestamp.from(due))
                .update();
    }

    /**
     * The notifications no longer wait; the unread ones record the digest that summed them up ({@code null}:
     * none was made).
     */
    void digested(List<UUID> ids, @Nullable UUID digest) {
        jdbc.sql("""
                        update notifications set digest_due = null,
                            digest_id = case when read_at is null and archived_at is null then cast(:digest as uuid) end
                        where id in (:ids)""")
                .param("ids", ids)
                .param("digest", digest, java.sql.Types.OTHER)
                .update();
    }
}
