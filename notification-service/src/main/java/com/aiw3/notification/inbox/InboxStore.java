package com.aiw3.notification.inbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
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

/**
 * The inbox's reads and writes on the {@code notifications} table. Every query of one user's items is one
 * range of {@code notifications_feed} or of {@code notifications_unread} (its unread items).
 */
@Component
class InboxStore {

    /** Only notifications whose delivery is over may be removed by retention or the per-user cap. */
    private static final String FINISHED = "status in ('delivered', 'failed', 'suppressed')";

    private static final String COLUMNS = """
            id, category, priority, title, body, data::text as data, created_at, seen_at, read_at, archived_at,
            snoozed_until, group_key, group_count, status""";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    InboxStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record Counts(int unread, int unseen) {}

    /** Where a page starts: after the item created at {@code createdAt} with {@code id}, newest first. */
    record Cursor(Instant createdAt, UUID id) {}

    record Filter(boolean unreadOnly, @Nullable String category, boolean archived) {}

    /**
     * Serialises the inbox writes of one user (for the rest of the transaction), so the counts each write
     * publishes are the counts after it, in the order the events are published.
     */
    void lockUser(String userId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:user, 42))")
                .param("user", userId)
                .query((rs, row) -> 1)
                .list();
    }

    Counts counts(String userId) {
        return jdbc.sql("""
                        select count(*) as unread, count(*) filter (where seen_at is null) as unseen
                        from notifications
                        where user_id = :user and in_feed and read_at is null and archived_at is null
                            and (snoozed_until is null or snoozed_until <= now())""")
                .param("user", userId)
                .query((rs, row) -> new Counts(rs.getInt("unread"), rs.getInt("unseen")))
                .single();
    }

    /** Up to {@code limit} items after {@code after}, newest first. */
    List<InboxItem> page(String userId, Filter filter, @Nullable Cursor after, int limit) {
        StringBuilder sql =
                new StringBuilder("select " + COLUMNS + " from notifications where user_id = :user and in_feed");
        if (filter.archived()) {
            sql.append(" and archived_at is not null");
        } else {
            // Written as the partial index's own predicate, so the unread filter reads notifications_unread.
            sql.append(" and archived_at is null and (snoozed_until is null or snoozed_until <= now())");
        }
        if (filter.unreadOnly()) {
            sql.append(" and read_at is null");
        }
        if (filter.category() != null) {
            sql.append(" and category = :category");
        }
        if (after != null) {
            sql.append(" and (created_at, id) < (:at, :id)");
        }
        sql.append(" order by created_at desc, id desc limit :limit");
        JdbcClient.StatementSpec query =
                jdbc.sql(sql.toString()).param("user", userId).param("limit", limit);
        if (filter.category() != null) {
            query = query.param("category", filter.category());
        }
        if (after != null) {
            query = query.param("at", Timestamp.from(after.createdAt())).param("id", after.id());
        }
        return query.query(this::item).list();
    }

    /** The caller's own item, locked for the rest of the transaction; empty for anyone else's. */
    Optional<InboxItem> lockOwn(String userId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from notifications where id = :id and user_id = :user and in_feed"
                        + " for update")
                .param("id", id)
                .param("user", userId)
                .query(this::item)
                .optional();
    }

    void write(UUID id, InboxItem state) {
        jdbc.sql("""
                        update notifications set seen_at = :seen, read_at = :read, archived_at = :archived,
                            snoozed_until = :snoozed, updated_at = now()
                        where id = :id""")
                .param("id", id)
                .param("seen", timestamp(state.seenAt()), Types.TIMESTAMP)
                .param("read", timestamp(state.readAt()), Types.TIMESTAMP)
                .param("archived", timestamp(state.archivedAt()), Types.TIMESTAMP)
                .param("snoozed", timestamp(state.snoozedUntil()), Types.TIMESTAMP)
                .update();
    }

    /** The notifications an item replaced in the feed are read when it is. */
    void readCollapsed(String userId, String groupKey) {
        jdbc.sql("""
                        update notifications set read_at = now(), seen_at = coalesce(seen_at, now()), updated_at = now()
                        where user_id = :user and group_key = :group and not in_feed and read_at is null""").param("user", userId).param("group", groupKey).update();
    }

    /** Marks the user's unread items read (of one category, or all); returns how many were unread. */
    int readAll(String userId, @Nullable String category) {
        String only = category == null ? "" : " and category = :category";
        JdbcClient.StatementSpec visible = jdbc.sql("""
                        update notifications set read_at = now(), seen_at = coalesce(seen_at, now()), updated_at = now()
                        where user_id = :user and in_feed and read_at is null and archived_at is null""" + only).param("user", userId);
        JdbcClient.StatementSpec collapsed = jdbc.sql("""
                        update notifications set read_at = now(), seen_at = coalesce(seen_at, now()), updated_at = now()
                        where user_id = :user and not in_feed and group_key is not null and read_at is null""" + only).param("user", userId);
        if (category != null) {
            visible = visible.param("category", category);
            collapsed = collapsed.param("category", category);
        }
        int read = visible.update();
        collapsed.update();
        return read;
    }

    /**
     * A new notification with a grouping key replaces the user's unread items of that group in the feed;
     * returns how many notifications it now stands for.
     */
    int collapse(UUID id, String userId, String groupKey) {
        return jdbc.sql("""
                        with replaced as (
                            update notifications set in_feed = false, updated_at = now()
                            where user_id = :user and in_feed and read_at is null and archived_at is null
                                and group_key = :group and id <> :id
                            returning group_count)
                        update notifications
                        set group_key = :group, group_count = 1 + coalesce((select sum(group_count) from replaced), 0)
                        where id = :id
                        returning group_count""")
                .param("id", id)
                .param("user", userId)
                .param("group", groupKey)
                .query(Integer.class)
                .single();
    }

    Optional<InboxItem> find(String userId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from notifications where id = :id and user_id = :user")
                .param("id", id)
                .param("user", userId)
                .query(this::item)
                .optional();
    }

    /** Keeps the user's newest {@code cap} notifications; older ones go once their delivery is over. */
    int cap(String userId, int cap) {
        return jdbc.sql("""
                        delete from notifications where id in (
                            select id from notifications where user_id = :user
                            order by created_at desc, id desc offset :cap)
                        and %s""".formatted(FINISHED))
                .param("user", userId)
                .param("cap", cap)
                .update();
    }

    /** Removes up to {@code limit} items read or archived before {@code before}. */
    int expire(Instant before, int limit) {
        return jdbc.sql("""
                        delete from notifications where id in (
                            select id from notifications
                            where (read_at is not null or archived_at is not null)
                                and coalesce(archived_at, read_at) < :before
                                and %s
                            limit :limit)""".formatted(FINISHED))
                .param("before", Timestamp.from(before))
                .param("limit", limit)
                .update();
    }

    private InboxItem item(ResultSet rs, int row) throws SQLException {
        return new InboxItem(
                rs.getObject("id", UUID.class),
                rs.getString("category").toLowerCase(java.util.Locale.ROOT),
                rs.getString("priority"),
                rs.getString("title"),
                rs.getString("body"),
                json.readValue(rs.getString("data"), new TypeReference<Map<String, String>>() {}),
                instant(rs, "created_at"),
                optionalInstant(rs, "seen_at"),
                optionalInstant(rs, "read_at"),
                optionalInstant(rs, "archived_at"),
                optionalInstant(rs, "snoozed_until"),
                rs.getString("group_key"),
                rs.getInt("group_count"),
                rs.getString("status"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    private static @Nullable Instant optionalInstant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
