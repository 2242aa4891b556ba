package com.aiw3.upgrade.badge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A user's badges as they stand, and the ones still to earn with the user's progress. */
@Component
class BadgeBook {

    private final JdbcClient jdbc;

    BadgeBook(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One badge of the user. A badge whose definition was removed keeps its name and has no description. */
    record Badge(
            String code,
            String name,
            String description,
            String status,
            Instant earnedAt,
            @Nullable Instant activatedAt,
            @Nullable Instant consumedAt,
            @Nullable UUID consumedByUpgrade) {}

    /** A badge the user has not earned yet: the figure its rule reads, where the user stands, and the goal. */
    record Available(String code, String name, String description, String rule, long progress, long threshold) {}

    record Badges(List<Badge> owned, List<Badge> activated, List<Badge> consumed, List<Available> available) {}

    private static final String BADGE_COLUMNS = """
            b.code, b.name, coalesce(d.description, '') as description, b.status, b.earned_at, b.activated_at,
            b.consumed_at, b.consumed_by_upgrade""";

    @Transactional(readOnly = true)
    Badges of(String userId) {
        List<Badge> all = jdbc.sql("select " + BADGE_COLUMNS + """
                         from badges b left join badge_definitions d on d.code = b.code
                        where b.user_id = :user
                        order by coalesce(b.consumed_at, b.activated_at, b.earned_at), d.sort_order, b.code""")
                .param("user", userId)
                .query((rs, row) -> badge(rs))
                .list();
        // The user's standing on every figure a rule reads, next to each definition not earned yet.
        List<Available> available = jdbc.sql("""
                        with standing as (
                            select coalesce((select trade_count from user_trading_volume where user_id = :user), 0)
                                    as trade_count,
                                coalesce((select trunc(volume_usd) from user_trading_volume where user_id = :user), 0)
                                    as volume,
                                (select count(*) from upgrade_requests where user_id = :user and status = 'completed')
                                    as upgrades,
                                (select count(*) from nft_claims where user_id = :user and status = 'completed')
                                    as claims)
                        select d.code, d.name, d.description, d.rule, d.threshold,
                            case d.rule
                                when 'trade_count_at_least' then s.trade_count
                                when 'trading_volume_at_least' then s.volume
                                when 'upgrades_completed_at_least' then s.upgrades
                                when 'claims_completed_at_least' then s.claims
                            end as progress
                        from badge_definitions d cross join standing s
                        where not exists (select 1 from badges b where b.user_id = :user and b.code = d.code)
                        order by d.sort_order""")
                .param("user", userId)
                .query((rs, row) -> new Available(
                        rs.getString("code"),
                        rs.getString("name"),
                        rs.getString("description"),
                        rs.getString("rule"),
                        rs.getBigDecimal("progress").longValue(),
                        rs.getLong("threshold")))
                .list();
        return new Badges(
                all.stream().filter(b -> b.status().equals("earned")).toList(),
                all.stream().filter(b -> b.status().equals("activated")).toList(),
                all.stream().filter(b -> b.status().equals("consumed")).toList(),
                available);
    }

    private static Badge badge(ResultSet rs) throws SQLException {
        return new Badge(
                rs.getString("code"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("status"),
                instant(rs.getTimestamp("earned_at")),
                nullableInstant(rs.getTimestamp("activated_at")),
                nullableInstant(rs.getTimestamp("consumed_at")),
                rs.getObject("consumed_by_upgrade", UUID.class));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp.toInstant();
    }

    private static @Nullable Instant nullableInstant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
