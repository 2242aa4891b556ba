package com.aiw3.upgrade.badge;

import com.aiw3.events.realtime.BadgeActivationStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code badge_activations} table, its idempotency keys, and the badge rows an activation reads and
 * changes. Callers hold the transaction; every change of a row is conditional on the state it was read in.
 */
@Component
class ActivationStore {

    private static final String COLUMNS = """
            a.id, a.user_id, a.badge_id, a.badge_code, b.name as badge_name, a.status, a.failure_reason,
            a.target_tier_id, a.requirements::text as requirements, a.created_at, a.updated_at""";
    private static final String FROM = " from badge_activations a join badges b on b.id = a.badge_id";

    private final JdbcClient jdbc;

    ActivationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One badge row of a user, as an activation sees it. */
    record BadgeRow(UUID id, String code, String name, String status) {}

    Optional<BadgeRow> badge(String userId, String code) {
        return jdbc.sql("select id, code, name, status from badges where user_id = :user and code = :code")
                .param("user", userId)
                .param("code", code)
                .query((rs, row) -> badgeRow(rs))
                .optional();
    }

    /** The badge row, locked against a concurrent change until the transaction ends. */
    Optional<BadgeRow> lockBadge(UUID badgeId) {
        return jdbc.sql("select id, code, name, status from badges where id = :id for update")
                .param("id", badgeId)
                .query((rs, row) -> badgeRow(rs))
                .optional();
    }

    /** Activates an earned badge: false when it is no longer {@code earned}. */
    boolean activateBadge(UUID badgeId) {
        return jdbc.sql("""
                        update badges set status = 'activated', activated_at = now()
                        where id = :id and status = 'earned'""").param("id", badgeId).update() == 1;
    }

    Optional<Activation> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + FROM + " where a.id = :id")
                .param("id", id)
                .query((rs, row) -> activation(rs))
                .optional();
    }

    /** The activation, its row locked until the transaction ends (so one driver at a time takes a step). */
    Optional<Activation> lock(UUID id) {
        return jdbc.sql("select " + COLUMNS + FROM + " where a.id = :id for update of a")
                .param("id", id)
                .query((rs, row) -> activation(rs))
                .optional();
    }

    /** The activation of a badge that has not failed: at most one (unique index). */
    Optional<Activation> ofBadge(UUID badgeId) {
        return jdbc.sql("select " + COLUMNS + FROM + " where a.badge_id = :badge and a.status <> 'failed'")
                .param("badge", badgeId)
                .query((rs, row) -> activation(rs))
                .optional();
    }

    /** Inserts an activation at {@code status}; a second live activation of the badge is a duplicate key. */
    void insert(UUID id, String userId, BadgeRow badge, BadgeActivationStatus status) {
        jdbc.sql("""
                        insert into badge_activations (id, user_id, badge_id, badge_code, status)
                        values (:id, :user, :badge, :code, :status)""")
                .param("id", id)
                .param("user", userId)
                .param("badge", badge.id())
                .param("code", badge.code())
                .param("status", status.wireName())
                .update();
    }

    /** Moves the activation from {@code from} to {@code to}; false when it is no longer at {@code from}. */
    boolean move(UUID id, BadgeActivationStatus from, BadgeActivationStatus to, @Nullable String failureReason) {
        return jdbc.sql("""
                        update badge_activations set status = :to, failure_reason = :reason, updated_at = now()
                        where id = :id and status = :from""")
                        .param("id", id)
                        .param("from", from.wireName())
                        .param("to", to.wireName())
                        .param("reason", failureReason)
                        .update()
                == 1;
    }

    void recordProgress(UUID id, @Nullable Integer targetTierId, String requirementsJson) {
        jdbc.sql("""
                        update badge_activations set target_tier_id = :tier, requirements = cast(:requirements as jsonb)
                        where id = :id""")
                .param("id", id)
                .param("tier", targetTierId)
                .param("requirements", requirementsJson)
                .update();
    }

    /** Activations not terminal whose last step is older than {@code seconds}: their driver stopped. */
    List<UUID> stalled(long seconds, int limit) {
        return jdbc.sql("""
                        select id from badge_activations
                        where status in ('requested', 'badge_verified')
                          and updated_at < now() - make_interval(secs => :seconds)
                        order by updated_at limit :limit""")
                .param("seconds", seconds)
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    // ---- idempotency keys ------------------------------------------------------------------------

    /** The activation a key of the user names, and the badge code it was used for. */
    record KeyUse(UUID activationId, String badgeCode) {}

    Optional<KeyUse> keyUse(String userId, String key) {
        return jdbc.sql("""
                        select activation_id, badge_code from badge_activation_idempotency_keys
                        where user_id = :user and idempotency_key = :key""")
                .param("user", userId)
                .param("key", key)
                .query((rs, row) -> new KeyUse(rs.getObject("activation_id", UUID.class), rs.getString("badge_code")))
                .optional();
    }

    /** Remembers the key for the activation, unless the key is taken already (then the first use stands). */
    void rememberKey(String userId, String key, String code, UUID activationId) {
        jdbc.sql("""
                        insert into badge_activation_idempotency_keys (user_id, idempotency_key, badge_code, activation_id)
                        values (:user, :key, :code, :activation)
                        on conflict (user_id, idempotency_key) do nothing""")
                .param("user", userId)
                .param("key", key)
                .param("code", code)
                .param("activation", activationId)
                .update();
    }

    private static BadgeRow badgeRow(ResultSet rs) throws SQLException {
        return new BadgeRow(
                rs.getObject("id", UUID.class), rs.getString("code"), rs.getString("name"), rs.getString("status"));
    }

    private static Activation activation(ResultSet rs) throws SQLException {
        return new Activation(
                rs.getObject("id", UUID.class),
                rs.getString("user_id"),
                rs.getObject("badge_id", UUID.class),
                rs.getString("badge_code"),
                rs.getString("badge_name"),
                BadgeActivationStatus.fromWireName(rs.getString("status")),
                rs.getString("failure_reason"),
                rs.getObject("target_tier_id", Integer.class),
                rs.getString("requirements"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
