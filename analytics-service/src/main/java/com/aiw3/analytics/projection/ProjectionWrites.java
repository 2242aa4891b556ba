package com.aiw3.analytics.projection;

import com.aiw3.events.notification.Channel;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.UpgradeEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The table changes of each event; each one commutes with the others (arrival order is irrelevant). */
@Component
class ProjectionWrites {

    /** The upgrade completion SLO's threshold: confirmed burn to completed within two minutes. */
    static final Duration COMPLETION_SLO = Duration.ofMinutes(2);

    private final JdbcClient jdbc;
    private final Timer confirmToCompleted;

    ProjectionWrites(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.confirmToCompleted = Timer.builder("aiw3.upgrade.confirm.to.completed")
                .description("From an upgrade's verified burn (confirm-burn) to its completion, as upgrade-service"
                        + " stamped both events")
                .publishPercentileHistogram()
                .serviceLevelObjectives(COMPLETION_SLO)
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofMinutes(30))
                .register(meters);
    }

    void upgradeInitiated(UpgradeEvent.UpgradeInitiated event, Instant at) {
        // Tier ids are levels (tier 1 = level 1), so the user's level is known before any upgrade completes.
        jdbc.sql("insert into user_stats (user_id, level) values (?, ?) on conflict (user_id) do nothing")
                .params(event.userId(), event.fromTierId())
                .update();
        funnel(event.upgradeId(), event.userId(), "initiated_at", at);
    }

    void burnVerified(UpgradeEvent.BurnVerified event, Instant at) {
        funnel(event.upgradeId(), event.userId(), "burn_verified_at", at);
    }

    void upgradeCompleted(UpgradeEvent.UpgradeCompleted event, Instant at) {
        jdbc.sql("""
                        insert into user_stats (user_id, level, upgrades_completed, badges_consumed, last_upgrade_at)
                        values (:user, :level, 1, :badges, :at)
                        on conflict (user_id) do update set
                            level = case when user_stats.last_upgrade_at is null or excluded.last_upgrade_at >= user_stats.last_upgrade_at
                                         then excluded.level else user_stats.level end,
                            upgrades_completed = user_stats.upgrades_completed + 1,
                            badges_consumed = user_stats.badges_consumed + excluded.badges_consumed,
                            last_upgrade_at = greatest(user_stats.last_upgrade_at, excluded.last_upgrade_at),
                            updated_at = now()""")
                .param("user", event.userId())
                .param("level", event.toLevel())
                .param("badges", event.consumedBadgeIds().size())
                .param("at", Timestamp.from(at))
                .update();
        funnel(event.upgradeId(), event.userId(), "completed_at", at);
        ended(event.upgradeId(), event.userId(), event.status().wireName(), at);
        // One user's events share a partition, so the burn's verification is projected before the completion.
        jdbc.sql("select burn_verified_at from upgrade_funnel where upgrade_id = ? and burn_verified_at is not null")
                .param(event.upgradeId())
                .query(Timestamp.class)
                .optional()
                .ifPresent(verified -> confirmToCompleted.record(Duration.between(verified.toInstant(), at)));
    }

    void upgradeEnded(UpgradeEvent event, Instant at) {
        ended(event.upgradeId(), event.userId(), event.status().wireName(), at);
    }

    private void funnel(UUID upgradeId, String userId, String stageColumn, Instant at) {
        // stageColumn is one of three constants above, never input.
        jdbc.sql("insert into upgrade_funnel (upgrade_id, user_id, " + stageColumn + ") values (?, ?, ?) "
                        + "on conflict (upgrade_id) do update set " + stageColumn + " = coalesce(upgrade_funnel."
                        + stageColumn + ", excluded." + stageColumn + ")")
                .params(upgradeId, userId, Timestamp.from(at))
                .update();
    }

    private void ended(UUID upgradeId, String userId, String status, Instant at) {
        jdbc.sql("""
                        insert into upgrade_funnel (upgrade_id, user_id, ended_at, end_status) values (?, ?, ?, ?)
                        on conflict (upgrade_id) do update set
                            ended_at = coalesce(upgrade_funnel.ended_at, excluded.ended_at),
                            end_status = coalesce(upgrade_funnel.end_status, excluded.end_status)""").params(upgradeId, userId, Timestamp.from(at), status).update();
    }

    void claimInitiated(ClaimEvent.ClaimInitiated event, Instant at) {
        claimStage(event.claimId(), event.userId(), "initiated_at", at);
    }

    void claimQualified(ClaimEvent.ClaimQualificationVerified event, Instant at) {
        claimStage(event.claimId(), event.userId(), "qualified_at", at);
    }

    void nftClaimed(ClaimEvent.NftClaimed event, Instant at) {
        jdbc.sql("""
                        insert into user_stats (user_id, level, claimed_at) values (:user, :level, :at)
                        on conflict (user_id) do update set
                            level = case when user_stats.last_upgrade_at is null
                                         then greatest(user_stats.level, excluded.level) else user_stats.level end,
                            claimed_at = coalesce(user_stats.claimed_at, excluded.claimed_at),
                            updated_at = now()""")
                .param("user", event.userId())
                .param("level", event.nft().level())
                .param("at", Timestamp.from(at))
                .update();
        claimStage(event.claimId(), event.userId(), "completed_at", at);
        claimEnded(event, at);
    }

    /** A terminal claim event; completed outranks a failure that an operator's retry overcame. */
    void claimEnded(ClaimEvent event, Instant at) {
        jdbc.sql("""
                        insert into claim_funnel (claim_id, user_id, ended_at, end_status) values (?, ?, ?, ?)
                        on conflict (claim_id) do update set
                            ended_at = case when excluded.end_status = 'completed' then excluded.ended_at
                                            else coalesce(claim_funnel.ended_at, excluded.ended_at) end,
                            end_status = case when claim_funnel.end_status = 'completed' then claim_funnel.end_status
                                              when excluded.end_status = 'completed' then excluded.end_status
                                              else coalesce(claim_funnel.end_status, excluded.end_status) end""")
                .params(
                        event.claimId(),
                        event.userId(),
                        Timestamp.from(at),
                        event.status().wireName())
                .update();
    }

    private void claimStage(UUID claimId, String userId, String stageColumn, Instant at) {
        // stageColumn is one of three constants above, never input.
        jdbc.sql("insert into claim_funnel (claim_id, user_id, " + stageColumn + ") values (?, ?, ?) "
                        + "on conflict (claim_id) do update set " + stageColumn + " = coalesce(claim_funnel."
                        + stageColumn + ", excluded." + stageColumn + ")")
                .params(claimId, userId, Timestamp.from(at))
                .update();
    }

    void notification(Channel channel, String outcome) {
        jdbc.sql("""
                        insert into notification_delivery_count (channel, outcome, total) values (?, ?, 1)
                        on conflict (channel, outcome) do update set total = notification_delivery_count.total + 1""").params(channel.wireName(), outcome).update();
    }

    void realtime(String outcome) {
        jdbc.sql("""
                        insert into realtime_delivery_count (outcome, total) values (?, 1)
                        on conflict (outcome) do update set total = realtime_delivery_count.total + 1""").param(outcome).update();
    }

    void presence(String userId, String instanceId, boolean online, Instant at) {
        jdbc.sql("""
                        insert into presence (user_id, instance_id, online, since) values (?, ?, ?, ?)
                        on conflict (user_id, instance_id) do update set online = excluded.online, since = excluded.since
                        where excluded.since >= presence.since""").params(userId, instanceId, online, Timestamp.from(at)).update();
    }
}
