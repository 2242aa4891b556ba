package com.aiw3.upgrade.upgrade;

import com.aiw3.events.EventIds;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Compensation requests: an upgrade whose old NFT is burned but whose new one is not minted, or a claim
 * whose metadata upload or mint gave up (nothing was burned: it waits for an operator's retry). Opened by
 * the pipelines, worked by operators, resolved when the upgrade or the claim completes.
 */
@Component
class Compensations {

    private final JdbcClient jdbc;

    Compensations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An upgrade's request names the upgrade and its burn; a claim's names the claim. */
    record Compensation(
            UUID id,
            @Nullable UUID upgradeId,
            @Nullable UUID claimId,
            String userId,
            String reason,
            String status,
            @Nullable Integer originalTierId,
            int targetTierId,
            @Nullable String burnTxSignature,
            @Nullable String lastError,
            Instant createdAt,
            @Nullable Instant resolvedAt) {}

    /** Opens (or re-opens, after a failed retry) the upgrade's request; returns its id. */
    UUID open(Upgrade upgrade, String reason, String error) {
        return jdbc.sql("""
                        insert into compensation_requests (id, upgrade_id, user_id, reason, status, original_tier_id,
                            target_tier_id, burn_tx_signature, last_error)
                        values (:id, :upgrade, :user, :reason, 'pending_review', :from, :target, :burn, :error)
                        on conflict (upgrade_id) do update
                            set status = 'pending_review', reason = excluded.reason, last_error = excluded.last_error,
                                resolved_at = null
                        returning id""")
                .param("id", EventIds.next())
                .param("upgrade", upgrade.id())
                .param("user", upgrade.userId())
                .param("reason", reason)
                .param("from", upgrade.fromTierId())
                .param("target", upgrade.targetTierId())
                .param("burn", upgrade.burnTxSignature())
                .param("error", error)
                .query(UUID.class)
                .single();
    }

    /** Opens (or re-opens, after a failed retry) the claim's request; returns its id. */
    UUID open(Claim claim, String reason, String error) {
        return jdbc.sql("""
                        insert into compensation_requests (id, claim_id, user_id, reason, status, target_tier_id,
                            last_error)
                        values (:id, :claim, :user, :reason, 'pending_review', :target, :error)
                        on conflict (claim_id) do update
                            set status = 'pending_review', reason = excluded.reason, last_error = excluded.last_error,
                                resolved_at = null
                        returning id""")
                .param("id", EventIds.next())
                .param("claim", claim.id())
                .param("user", claim.userId())
                .param("reason", reason)
                .param("target", claim.tierId())
                .param("error", error)
                .query(UUID.class)
                .single();
    }

    /** The request of the upgrade or claim {@code processId} is being retried. */
    void retrying(UUID processId) {
        jdbc.sql("update compensation_requests set status = 'retrying' where upgrade_id = :id or claim_id = :id")
                .param("id", processId)
                .update();
    }

    /** The upgrade or claim {@code processId} completed. */
    void resolve(UUID processId) {
        jdbc.sql("""
                        update compensation_requests set status = 'resolved', resolved_at = now()
                        where (upgrade_id = :id or claim_id = :id) and status <> 'resolved'""").param("id", processId).update();
    }

    List<Compensation> list(String status, int limit) {
        return jdbc.sql("""
                        select id, upgrade_id, claim_id, user_id, reason, status, original_tier_id, target_tier_id,
                            burn_tx_signature, last_error, created_at, resolved_at
                        from compensation_requests where (:status::text is null or status = :status)
                        order by created_at limit :limit""")
                .param("status", status)
                .param("limit", limit)
                .query((rs, row) -> new Compensation(
                        rs.getObject("id", UUID.class),
                        rs.getObject("upgrade_id", UUID.class),
                        rs.getObject("claim_id", UUID.class),
                        rs.getString("user_id"),
                        rs.getString("reason"),
                        rs.getString("status"),
                        rs.getObject("original_tier_id", Integer.class),
                        rs.getInt("target_tier_id"),
                        rs.getString("burn_tx_signature"),
                        rs.getString("last_error"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("resolved_at") == null
                                ? null
                                : rs.getTimestamp("resolved_at").toInstant()))
                .list();
    }
}
