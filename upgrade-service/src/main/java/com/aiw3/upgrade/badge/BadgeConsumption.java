package com.aiw3.upgrade.badge;

import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * An upgrade's use of the user's activated badges (ADR 0027): exactly the number its target tier
 * requires, the earliest activated first; further activated badges stay activated for the next tier.
 */
@Component
public class BadgeConsumption {

    private static final Logger log = LoggerFactory.getLogger(BadgeConsumption.class);

    private final JdbcClient jdbc;

    BadgeConsumption(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Consumes {@code required} of the user's activated badges for {@code upgradeId} in one statement and
     * returns the ids of the badges consumed. The rows are locked as they are chosen and the update
     * repeats the {@code status = 'activated'} condition, so a badge is consumed by one upgrade only.
     * Call inside the transaction that completes the upgrade.
     */
    public List<String> consume(String userId, UUID upgradeId, long required) {
        if (required <= 0) {
            return List.of();
        }
        List<String> consumed = jdbc.sql("""
                        update badges set status = 'consumed', consumed_at = now(), consumed_by_upgrade = :upgrade
                        where id in (
                            select id from badges where user_id = :user and status = 'activated'
                            order by activated_at, id
                            limit :required
                            for update skip locked)
                        and status = 'activated'
                        returning id::text""")
                .param("upgrade", upgradeId)
                .param("user", userId)
                .param("required", required)
                .query((rs, row) -> rs.getString(1))
                .list();
        if (consumed.size() < required) {
            // The user was qualified with enough activated badges, and only an upgrade consumes them (one
            // open upgrade per user): the old NFT is burned, so the upgrade completes with what there is.
            log.error(
                    "upgrade {} of {} required {} activated badges at completion and found {}",
                    upgradeId,
                    userId,
                    required,
                    consumed.size());
        }
        return consumed;
    }
}
