package com.aiw3.analytics.projection;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Badges earned and activated, per user and in total (ADR 0031). A user's badge is one row whose
 * {@code earned_at} and {@code activated_at} are each filled once; the totals rise only when a column is
 * filled, so the same badge reported again (redelivered, or republished under a new event id) counts once.
 */
@Component
class BadgeProjection {

    private final JdbcClient jdbc;

    BadgeProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void earned(String userId, String badgeId, Instant at) {
        fill("earned_at", "earned", userId, badgeId, at);
    }

    void activated(String userId, String badgeId, Instant at) {
        fill("activated_at", "activated", userId, badgeId, at);
    }

    private void fill(String column, String figure, String userId, String badgeId, Instant at) {
        // column is one of two constants above, never input.
        int filled = jdbc.sql("insert into user_badges (user_id, badge_id, " + column + ") values (?, ?, ?)"
                        + " on conflict (user_id, badge_id) do update set " + column + " = excluded." + column
                        + " where user_badges." + column + " is null")
                .params(userId, badgeId, Timestamp.from(at))
                .update();
        if (filled == 1) {
            jdbc.sql("update badge_totals set total = total + 1 where figure = ?")
                    .param(figure)
                    .update();
        }
    }
}
