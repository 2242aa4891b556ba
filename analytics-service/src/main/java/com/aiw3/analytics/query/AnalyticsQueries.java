package com.aiw3.analytics.query;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the analytics tables. */
@Component
class AnalyticsQueries {

    private final JdbcClient jdbc;

    AnalyticsQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record UserStats(
            String userId,
            int level,
            int upgradesCompleted,
            int badgesConsumed,
            @Nullable Instant lastUpgradeAt,
            @Nullable Instant claimedAt) {}

    record LevelCount(int level, long users) {}

    record LeaderboardEntry(long rank, String userId, int level, int upgradesCompleted) {}

    record StepDuration(
            @Nullable Double p50Seconds, @Nullable Double p95Seconds) {}

    record Funnel(
            long initiated,
            long burnVerified,
            long completed,
            @Nullable Double burnConversion,
            @Nullable Double completionConversion,
            @Nullable Double overallConversion,
            StepDuration initiatedToBurnVerified,
            StepDuration burnVerifiedToCompleted,
            StepDuration initiatedToCompleted,
            Map<String, Long> endedByStatus) {}

    /** The first-NFT claims initiated in a window: how many qualified, were claimed, and how the others ended. */
    record Claims(
            long initiated,
            long qualified,
            long completed,
            @Nullable Double qualificationRate,
            @Nullable Double completionConversion,
            Map<String, Long> endedByStatus) {}

    record ChannelOutcome(String channel, String outcome, long total) {}

    record Realtime(long usersOnline, long delivered, long undelivered) {}

    Optional<UserStats> userStats(String userId) {
        return jdbc.sql("""
                        select user_id, level, upgrades_completed, badges_consumed, last_upgrade_at, claimed_at
                        from user_stats where user_id = ?""")
                .param(userId)
                .query((rs, row) -> new UserStats(
                        rs.getString(1),
                        rs.getInt(2),
                        rs.getInt(3),
                        rs.getInt(4),
                        rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()))
                .optional();
    }

    List<LevelCount> levelDistribution() {
        return jdbc.sql("select level, count(*) from user_stats group by level order by level")
                .query((rs, row) -> new LevelCount(rs.getInt(1), rs.getLong(2)))
                .list();
    }

    List<LeaderboardEntry> leaderboard(int page, int size) {
        return jdbc.sql("""
                        select rank() over (order by level desc, upgrades_completed desc), user_id, level, upgrades_completed
                        from user_stats
                        order by level desc, upgrades_completed desc, user_id
                        limit ? offset ?""")
                .params(size + 1, (long) page * size)
                .query((rs, row) -> new LeaderboardEntry(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4)))
                .list();
    }

    Funnel funnel(Instant from, Instant to) {
        return jdbc.sql("""
                        select count(initiated_at), count(burn_verified_at), count(completed_at),
                          percentile_cont(0.5) within group (order by extract(epoch from burn_verified_at - initiated_at)),
                          percentile_cont(0.95) within group (order by extract(epoch from burn_verified_at - initiated_at)),
                          percentile_cont(0.5) within group (order by extract(epoch from completed_at - burn_verified_at)),
                          percentile_cont(0.95) within group (order by extract(epoch from completed_at - burn_verified_at)),
                          percentile_cont(0.5) within group (order by extract(epoch from completed_at - initiated_at)),
                          percentile_cont(0.95) within group (order by extract(epoch from completed_at - initiated_at))
                        from upgrade_funnel
                        where initiated_at >= ? and initiated_at < ?""")
                .params(Timestamp.from(from), Timestamp.from(to))
                .query((rs, row) -> {
                    long initiated = rs.getLong(1);
                    long burn = rs.getLong(2);
                    long completed = rs.getLong(3);
                    return new Funnel(
                            initiated,
                            burn,
                            completed,
                            ratio(burn, initiated),
                            ratio(completed, burn),
                            ratio(completed, initiated),
                            new StepDuration(number(rs.getObject(4)), number(rs.getObject(5))),
                            new StepDuration(number(rs.getObject(6)), number(rs.getObject(7))),
                            new StepDuration(number(rs.getObject(8)), number(rs.getObject(9))),
                            endedByStatus(from, to));
                })
                .single();
    }

    private Map<String, Long> endedByStatus(Instant from, Instant to) {
        return jdbc
                .sql("""
                        select end_status, count(*) from upgrade_funnel
                        where end_status is not null and initiated_at >= ? and initiated_at < ?
                        group by end_status order by end_status""")
                .params(Timestamp.from(from), Timestamp.from(to))
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .list()
                .stream()
                .collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, Map.Entry::getValue, Long::sum, java.util.TreeMap::new));
    }

    Claims claims(Instant from, Instant to) {
        return jdbc.sql("""
                        select count(initiated_at), count(qualified_at), count(completed_at) from claim_funnel
                        where initiated_at >= ? and initiated_at < ?""")
                .params(Timestamp.from(from), Timestamp.from(to))
                .query((rs, row) -> new Claims(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        ratio(rs.getLong(2), rs.getLong(1)),
                        ratio(rs.getLong(3), rs.getLong(2)),
                        claimsEndedByStatus(from, to)))
                .single();
    }

    private Map<String, Long> claimsEndedByStatus(Instant from, Instant to) {
        return jdbc
                .sql("""
                        select end_status, count(*) from claim_funnel
                        where end_status is not null and initiated_at >= ? and initiated_at < ?
                        group by end_status order by end_status""")
                .params(Timestamp.from(from), Timestamp.from(to))
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .list()
                .stream()
                .collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, Map.Entry::getValue, Long::sum, java.util.TreeMap::new));
    }

    List<ChannelOutcome> notificationDeliveries() {
        return jdbc.sql("select channel, outcome, total from notification_delivery_count order by channel, outcome")
                .query((rs, row) -> new ChannelOutcome(rs.getString(1), rs.getString(2), rs.getLong(3)))
                .list();
    }

    Realtime realtime() {
        long online = jdbc.sql("select count(distinct user_id) from presence where online")
                .query(Long.class)
                .single();
        Map<String, Long> counts = jdbc
                .sql("select outcome, total from realtime_delivery_count")
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .list()
                .stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return new Realtime(online, counts.getOrDefault("delivered", 0L), counts.getOrDefault("undelivered", 0L));
    }

    private static @Nullable Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static @Nullable Double number(@Nullable Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
