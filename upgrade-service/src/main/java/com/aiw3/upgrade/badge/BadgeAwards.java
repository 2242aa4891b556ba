package com.aiw3.upgrade.badge;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.realtime.UserEvent.BadgeEarned;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Earning badges (ADR 0027): the rules of {@code badge_definitions} are evaluated in the transaction that
 * changes the facts they read (a recorded trade, a completed upgrade, a completed claim). A badge is earned once per user
 * (unique per user and code, so evaluating again earns nothing), and each badge earned publishes
 * {@link BadgeEarned} through the outbox in that transaction.
 */
@Component
public class BadgeAwards {

    private final JdbcClient jdbc;
    private final EventPublisher events;
    private final String source;
    private final Counter earned;

    BadgeAwards(JdbcClient jdbc, EventPublisher events, MessagingProperties messaging, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.events = events;
        this.source = messaging.source();
        this.earned = Counter.builder("aiw3.upgrade.badges.earned")
                .description("Badges earned by users")
                .register(meters);
    }

    /**
     * Earns the trade-count and trading-volume badges the user's recorded trades now reach. Call inside the
     * transaction that recorded {@code trade}; the events are caused by it.
     */
    public List<String> afterTrade(EventEnvelope<?> trade, String userId) {
        return earn(userId, """
                        select d.code, d.name, d.description, d.sort_order from badge_definitions d
                        join user_trading_volume v on v.user_id = :user
                        where (d.rule = 'trade_count_at_least' and v.trade_count >= d.threshold)
                           or (d.rule = 'trading_volume_at_least' and trunc(v.volume_usd) >= d.threshold)""", badge -> EventEnvelope.causedBy(trade, badge, source));
    }

    /**
     * Earns the badges for the number of upgrades the user has completed. Call inside the transaction that
     * completes {@code upgradeId}, after its status is {@code completed}.
     */
    public List<String> afterUpgrade(UUID upgradeId, String userId) {
        return earn(userId, """
                        select d.code, d.name, d.description, d.sort_order from badge_definitions d
                        where d.rule = 'upgrades_completed_at_least'
                          and (select count(*) from upgrade_requests u
                               where u.user_id = :user and u.status = 'completed') >= d.threshold""", badge -> EventEnvelope.correlated(upgradeId, badge, source));
    }

    /**
     * Earns the badges for the number of first-NFT claims the user has completed. Call inside the transaction
     * that completes {@code claimId}, after its status is {@code completed}.
     */
    public List<String> afterClaim(UUID claimId, String userId) {
        return earn(userId, """
                        select d.code, d.name, d.description, d.sort_order from badge_definitions d
                        where d.rule = 'claims_completed_at_least'
                          and (select count(*) from nft_claims c
                               where c.user_id = :user and c.status = 'completed') >= d.threshold""", badge -> EventEnvelope.correlated(claimId, badge, source));
    }

    /** Inserts the badges {@code reached} selects and the user has not earned; publishes one event each. */
    private List<String> earn(
            String userId, String reached, Function<BadgeEarned, EventEnvelope<BadgeEarned>> envelope) {
        List<BadgeEarned> badges = jdbc.sql("""
                        with reached as (%s)
                        insert into badges (id, user_id, code, name, status, earned_at)
                        select gen_random_uuid(), :user, r.code, r.name, 'earned', now() from reached r order by r.sort_order
                        on conflict (user_id, code) do nothing
                        returning code, name,
                            (select r.description from reached r where r.code = badges.code) as description""".formatted(reached))
                .param("user", userId)
                .query((rs, row) -> new BadgeEarned(
                        userId,
                        "You earned the badge %s: %s".formatted(rs.getString("name"), rs.getString("description")),
                        rs.getString("code"),
                        rs.getString("name")))
                .list();
        for (BadgeEarned badge : badges) {
            events.publish(envelope.apply(badge));
            earned.increment();
        }
        return badges.stream().map(BadgeEarned::badgeId).toList();
    }
}
