package com.aiw3.analytics.query;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the badge figures: a user's badges earned and activated, and the platform's totals. */
@Component
class BadgeFigures {

    private final JdbcClient jdbc;

    BadgeFigures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record UserBadges(String userId, long earned, long activated) {}

    record Totals(long earned, long activated) {}

    UserBadges of(String userId) {
        return jdbc.sql("select count(earned_at), count(activated_at) from user_badges where user_id = ?")
                .param(userId)
                .query((rs, row) -> new UserBadges(userId, rs.getLong(1), rs.getLong(2)))
                .single();
    }

    Totals totals() {
        return jdbc.sql("""
                        select coalesce(sum(total) filter (where figure = 'earned'), 0),
                            coalesce(sum(total) filter (where figure = 'activated'), 0)
                        from badge_totals""")
                .query((rs, row) -> new Totals(rs.getLong(1), rs.getLong(2)))
                .single();
    }
}
