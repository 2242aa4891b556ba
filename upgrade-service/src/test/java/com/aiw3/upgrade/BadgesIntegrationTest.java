package com.aiw3.upgrade;

import static com.aiw3.upgrade.support.UpgradeTestSupport.confirmBurn;
import static com.aiw3.upgrade.support.UpgradeTestSupport.get;
import static com.aiw3.upgrade.support.UpgradeTestSupport.json;
import static com.aiw3.upgrade.support.UpgradeTestSupport.signAndLand;
import static com.aiw3.upgrade.support.UpgradeTestSupport.start;
import static com.aiw3.upgrade.support.UpgradeTestSupport.status;
import static com.aiw3.upgrade.support.UpgradeTestSupport.upgradeEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.realtime.UserEvent.BadgeEarned;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.trading.TradingEvent.TradeRecorded;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.testing.TopicContents;
import com.aiw3.upgrade.support.Holders.Holder;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Badges against real PostgreSQL and an embedded broker: earning them from trades and upgrades, the
 * caller's badges and their progress, and an upgrade's consumption of exactly what its tier requires
 * (ADR 0027). Activation: {@link BadgeActivationIntegrationTest}.
 */
@StubbedChainService
class BadgesIntegrationTest extends StubbedChainTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final Instant EXECUTED = Instant.parse("2026-11-23T10:15:30.123456Z");

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    private static EventEnvelope<TradeRecorded> trade(String user, String amount) {
        return EventEnvelope.of(
                new TradeRecorded("trade-" + UUID.randomUUID(), user, new BigDecimal(amount), EXECUTED),
                "trading-platform");
    }

    private void publish(EventEnvelope<?>... events) {
        for (EventEnvelope<?> event : events) {
            kafka.send(Topics.TRADING_ACTIVITY.name(), event.key(), event);
        }
        kafka.flush();
    }

    private long tradeCount(String user) {
        return jdbc.sql("select coalesce((select trade_count from user_trading_volume where user_id = :u), 0)")
                .param("u", user)
                .query(Long.class)
                .single();
    }

    /** The codes of the user's badges at {@code status}, in the order they were earned. */
    private List<String> badges(String user, String status) {
        return jdbc.sql("select code from badges where user_id = :u and status = :s order by earned_at, code")
                .param("u", user)
                .param("s", status)
                .query(String.class)
                .list();
    }

    /** The BadgeEarned events of the user in the outbox, by badge code. */
    private List<String> badgeEarnedInOutbox(String user) {
        return jdbc.sql("select convert_from(envelope, 'UTF8')::jsonb -> 'payload' ->> 'badgeId' from messaging_outbox"
                        + " where event_type = 'BadgeEarned' and record_key = :u and topic = :topic order by seq")
                .param("u", user)
                .param("topic", Topics.REALTIME_USER_EVENTS.name())
                .query(String.class)
                .list();
    }

    /** The BadgeEarned events of the user on realtime-user-events, by badge code. */
    private List<String> badgeEarnedOnTheTopic(String user) {
        return TopicContents.events(brokers, Topics.REALTIME_USER_EVENTS.name()).stream()
                .map(EventEnvelope::payload)
                .filter(p -> p instanceof BadgeEarned b && b.userId().equals(user))
                .map(p -> ((BadgeEarned) p).badgeId())
                .toList();
    }

    private void activatedBadge(String user, String code, Instant activatedAt) {
        jdbc.sql("""
                        insert into badges (id, user_id, code, name, status, activated_at)
                        values (:id, :user, :code, :code, 'activated', :at)""")
                .param("id", UUID.randomUUID())
                .param("user", user)
                .param("code", code)
                .param("at", Timestamp.from(activatedAt))
                .update();
    }

    private Map<String, String> badgeStatusByCode(String user) {
        return jdbc
                .sql("select code, status from badges where user_id = :user")
                .param("user", user)
                .query((rs, row) -> Map.entry(rs.getString("code"), rs.getString("status")))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Starts an upgrade to tier 2, signs and lands the burn, confirms it, and waits for completion. */
    private String upgradeToTier2(Holder holder) {
        HttpResponse<String> started = start(http, holder.userId(), 2);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode body = json(started);
        assertThat(body.get("status").asString()).as(started.body()).isEqualTo("awaiting_burn");
        String id = body.get("upgradeId").asString();
        String signature = signAndLand(RPC, holder, body.get("burnTransaction").asString());
        HttpResponse<String> confirmed = confirmBurn(http, holder.userId(), id, signature);
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(202);
        await().atMost(WAIT).until(() -> status(http, holder.userId(), id), "completed"::equals);
        return id;
    }

    @Test
    void anUpgradeConsumesExactlyTheActivatedBadgesItsTierRequiresTheEarliestActivatedFirst() {
        Holder holder = holders.holder(1, 0, 600_000);
        Instant now = Instant.now();
        // Activated in the order b, c, a: tier 2 requires 2, so b and c are consumed and a stays activated.
        activatedBadge(holder.userId(), "badge-a", now.minusSeconds(60));
        activatedBadge(holder.userId(), "badge-b", now.minusSeconds(3 * 3600));
        activatedBadge(holder.userId(), "badge-c", now.minusSeconds(2 * 3600));

        String id = upgradeToTier2(holder);

        assertThat(badgeStatusByCode(holder.userId()))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "badge-a", "activated",
                        "badge-b", "consumed",
                        "badge-c", "consumed",
                        "first-upgrade", "earned"));
        assertThat(jdbc.sql("select count(*) from badges where consumed_by_upgrade = :id")
                        .param("id", UUID.fromString(id))
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(upgradeEvents(brokers, UUID.fromString(id)))
                        .last()
                        .isInstanceOfSatisfying(
                                UpgradeEvent.UpgradeCompleted.class,
                                completed ->
                                        assertThat(completed.consumedBadgeIds()).hasSize(2)));
        List<String> stillActivated = jdbc.sql("select code from badges where user_id = :user and status = 'activated'")
                .param("user", holder.userId())
                .query(String.class)
                .list();
        assertThat(stillActivated).containsExactly("badge-a");
    }

    @Test
    void tradesCrossingAMilestoneEarnItsBadgeOnceInTheOutboxAndOnTheTopic() {
        String user = "trader-" + UUID.randomUUID();

        publish(trade(user, "60000"));
        await().atMost(WAIT).until(() -> tradeCount(user) == 1);
        assertThat(badges(user, "earned")).containsExactly("first-trade");

        // 99,999.99999999 USD: not a whole 100,000 yet, so no volume badge.
        publish(trade(user, "39999.99999999"));
        await().atMost(WAIT).until(() -> tradeCount(user) == 2);
        assertThat(badges(user, "earned")).containsExactly("first-trade");

        EventEnvelope<TradeRecorded> crossing = trade(user, "0.00000001");
        publish(crossing);
        await().atMost(WAIT).until(() -> tradeCount(user) == 3);
        assertThat(badges(user, "earned")).containsExactly("first-trade", "volume-100k");

        // The crossing trade delivered again, and republished under a new event id: no second badge.
        EventEnvelope<TradeRecorded> republished = EventEnvelope.of(crossing.payload(), "trading-platform");
        publish(crossing, republished, trade(user, "1"));
        await().atMost(WAIT).until(() -> tradeCount(user) == 4);

        assertThat(badges(user, "earned")).containsExactly("first-trade", "volume-100k");
        assertThat(badgeEarnedInOutbox(user)).containsExactly("first-trade", "volume-100k");
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(badgeEarnedOnTheTopic(user)).containsExactly("first-trade", "volume-100k"));
        BadgeEarned earned = TopicContents.events(brokers, Topics.REALTIME_USER_EVENTS.name()).stream()
                .map(EventEnvelope::payload)
                .filter(p -> p instanceof BadgeEarned b
                        && b.userId().equals(user)
                        && b.badgeId().equals("volume-100k"))
                .map(BadgeEarned.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(earned.name()).isEqualTo("Volume 100K");
        assertThat(earned.message()).contains("Volume 100K");
    }

    @Test
    void aCompletedUpgradeEarnsTheFirstUpgradeBadgeOnce() {
        Holder holder = holders.qualifiedForTier2();

        String id = upgradeToTier2(holder);

        assertThat(badges(holder.userId(), "earned")).containsExactly("first-upgrade");
        assertThat(badgeEarnedInOutbox(holder.userId())).containsExactly("first-upgrade");
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(badgeEarnedOnTheTopic(holder.userId())).containsExactly("first-upgrade"));
        assertThat(jdbc.sql("select convert_from(envelope, 'UTF8')::jsonb ->> 'correlationId' from messaging_outbox"
                                + " where event_type = 'BadgeEarned' and record_key = :u")
                        .param("u", holder.userId())
                        .query(String.class)
                        .single())
                .as("the badge belongs to the upgrade's flow")
                .isEqualTo(id);
    }

    private void badge(String user, String code, String status) {
        jdbc.sql("""
                        insert into badges (id, user_id, code, name, status, activated_at, consumed_at)
                        values (:id, :user, :code, :code, :status,
                            case when :status <> 'earned' then now() end,
                            case when :status = 'consumed' then now() end)""")
                .param("id", UUID.randomUUID())
                .param("user", user)
                .param("code", code)
                .param("status", status)
                .update();
    }

    @Test
    void theCallersBadgesAreListedByStateWithProgressTowardsTheOthers() {
        String user = "user-" + UUID.randomUUID();
        jdbc.sql("insert into user_trading_volume (user_id, volume_usd, trade_count) values (:u, 120000.75, 3)")
                .param("u", user)
                .update();
        badge(user, "first-trade", "earned");
        badge(user, "volume-100k", "activated");
        badge(user, "trades-10", "consumed");

        HttpResponse<String> response = get(http, user, "/api/v1/badges");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("owned")).singleElement().satisfies(b -> {
            assertThat(b.get("code").asString()).isEqualTo("first-trade");
            assertThat(b.get("description").asString()).isEqualTo("Your first trade on AIW3.");
            assertThat(b.get("status").asString()).isEqualTo("earned");
        });
        assertThat(body.get("activated"))
                .singleElement()
                .satisfies(b -> assertThat(b.get("code").asString()).isEqualTo("volume-100k"));
        assertThat(body.get("consumed"))
                .singleElement()
                .satisfies(b -> assertThat(b.get("code").asString()).isEqualTo("trades-10"));
        Map<String, JsonNode> available = new java.util.LinkedHashMap<>();
        body.get("available").forEach(b -> available.put(b.get("code").asString(), b));
        assertThat(available).doesNotContainKeys("first-trade", "volume-100k", "trades-10");
        assertThat(available.get("volume-250k").get("progress").asLong()).isEqualTo(120_000);
        assertThat(available.get("volume-250k").get("threshold").asLong()).isEqualTo(250_000);
        assertThat(available.get("volume-250k").get("rule").asString()).isEqualTo("trading_volume_at_least");
        assertThat(available.get("trades-100").get("progress").asLong()).isEqualTo(3);
        assertThat(available.get("first-upgrade").get("progress").asLong()).isZero();
        assertThat(available.get("first-upgrade").get("threshold").asLong()).isEqualTo(1);
        assertThat(available.get("first-nft").get("rule").asString()).isEqualTo("claims_completed_at_least");
        assertThat(available.get("first-nft").get("progress").asLong()).isZero();

        // A user of whom nothing is known has every badge still to earn, at zero.
        JsonNode nobody = json(get(http, "nobody-" + UUID.randomUUID(), "/api/v1/badges"));
        assertThat(nobody.get("owned")).isEmpty();
        assertThat(nobody.get("available"))
                .isNotEmpty()
                .allSatisfy(b -> assertThat(b.get("progress").asLong()).isZero());
    }

    @Test
    void theOpenApiDocumentDescribesTheBadgeApi() {
        JsonNode paths = json(http.getAnonymously("/v3/api-docs")).get("paths");
        assertThat(paths.has("/api/v1/badges")).isTrue();
        assertThat(paths.has("/api/v1/badges/{code}/activate")).isTrue();
        assertThat(paths.has("/api/v1/badges/activations/{id}")).isTrue();
    }
}
