package com.aiw3.upgrade;

import static com.aiw3.upgrade.UpgradeFlowIntegrationTest.assertProblem;
import static com.aiw3.upgrade.UpgradeFlowIntegrationTest.concurrently;
import static com.aiw3.upgrade.support.UpgradeTestSupport.get;
import static com.aiw3.upgrade.support.UpgradeTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.realtime.UserEvent.BadgeActivated;
import com.aiw3.events.realtime.UserEvent.BadgeActivationFailed;
import com.aiw3.events.realtime.UserEvent.BadgeActivationRequested;
import com.aiw3.events.realtime.UserEvent.BadgeActivationStep;
import com.aiw3.events.realtime.UserEvent.BadgeActivationVerified;
import com.aiw3.events.realtime.UserEvent.TierProgressRecomputed;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TopicContents;
import com.aiw3.upgrade.badge.BadgeConsumption;
import com.aiw3.upgrade.support.Holders;
import com.aiw3.upgrade.support.Holders.Holder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Badge activation as a streamed process (ADR 0031) against real PostgreSQL and an embedded broker: its
 * steps in order through the outbox onto realtime-user-events, the answers to a repeated request, the
 * refusals that write nothing, concurrent requests for one badge, and an activation racing an upgrade's
 * consumption of the user's activated badges.
 */
@StubbedChainService
class BadgeActivationIntegrationTest extends StubbedChainTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    BadgeConsumption consumption;

    @Autowired
    TransactionTemplate tx;

    TestHttp http;
    Holders holders;

    @BeforeEach
    void setUp() {
        RPC.reset();
        KUBO.reset();
        http = new TestHttp(port);
        holders = new Holders(jdbc);
    }

    private UUID badge(String user, String code, String status) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into badges (id, user_id, code, name, status, activated_at, consumed_at)
                        values (:id, :user, :code, :name, :status,
                            case when :status <> 'earned' then now() - interval '1 hour' end,
                            case when :status = 'consumed' then now() end)""")
                .param("id", id)
                .param("user", user)
                .param("code", code)
                .param("name", "Badge " + code)
                .param("status", status)
                .update();
        return id;
    }

    private HttpResponse<String> activate(String user, String code, String... headers) {
        return http.sendAs("POST", "/api/v1/badges/" + code + "/activate", user, "", null, headers);
    }

    private String status(String user, String activationId) {
        return json(get(http, user, "/api/v1/badges/activations/" + activationId))
                .get("status")
                .asString();
    }

    private String awaitTerminal(String user, String activationId) {
        await().atMost(WAIT).until(() -> Set.of("activated", "failed").contains(status(user, activationId)));
        return status(user, activationId);
    }

    /** The event types the outbox holds for one activation, in the order they were written. */
    private List<String> outboxTypes(String activationId) {
        return jdbc.sql("select event_type from messaging_outbox"
                        + " where convert_from(envelope, 'UTF8')::jsonb ->> 'correlationId' = :id order by seq")
                .param("id", activationId)
                .query(String.class)
                .list();
    }

    private long outboxRowsOf(String user) {
        return jdbc.sql("select count(*) from messaging_outbox where record_key = :u")
                .param("u", user)
                .query(Long.class)
                .single();
    }

    private List<BadgeActivationStep> stepsOnTheTopic(String activationId) {
        return TopicContents.events(brokers, Topics.REALTIME_USER_EVENTS.name()).stream()
                .map(EventEnvelope::payload)
                .filter(p -> p instanceof BadgeActivationStep s
                        && activationId.equals(Objects.toString(s.activationId(), null)))
                .map(BadgeActivationStep.class::cast)
                .toList();
    }

    private String badgeStatus(UUID badgeId) {
        return jdbc.sql("select status from badges where id = :id")
                .param("id", badgeId)
                .query(String.class)
                .single();
    }

    @Test
    void anActivationGoesThroughItsStepsInOrderInTheOutboxAndOnTheTopic() {
        // Tier 2 requires 2 activated badges: with one activated already, this activation qualifies the user.
        Holder holder = holders.holder(1, 1, 600_000);
        UUID badgeId = badge(holder.userId(), "first-trade", "earned");

        HttpResponse<String> started = activate(holder.userId(), "first-trade", "Idempotency-Key", "k-1");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(started.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        JsonNode body = json(started);
        String id = body.get("activationId").asString();
        assertThat(started.headers().firstValue("Location")).hasValue("/api/v1/badges/activations/" + id);
        assertThat(body.get("eventsUrl").asString()).isEqualTo("/api/v1/badges/activations/" + id + "/events");
        assertThat(body.get("badgeCode").asString()).isEqualTo("first-trade");
        assertThat(body.get("status").asString()).isIn("requested", "badge_verified", "activated");

        assertThat(awaitTerminal(holder.userId(), id)).isEqualTo("activated");
        assertThat(badgeStatus(badgeId)).isEqualTo("activated");
        assertThat(outboxTypes(id))
                .containsExactly(
                        "BadgeActivationRequested",
                        "BadgeActivationVerified",
                        "TierProgressRecomputed",
                        "BadgeActivated");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(stepsOnTheTopic(id))
                        .extracting(step -> step.getClass().getSimpleName())
                        .containsExactly(
                                "BadgeActivationRequested",
                                "BadgeActivationVerified",
                                "TierProgressRecomputed",
                                "BadgeActivated"));
        List<BadgeActivationStep> steps = stepsOnTheTopic(id);
        assertThat(steps.get(0)).isInstanceOf(BadgeActivationRequested.class);
        assertThat(steps.get(1)).isInstanceOf(BadgeActivationVerified.class);
        assertThat(steps.get(2)).isInstanceOfSatisfying(TierProgressRecomputed.class, progress -> {
            assertThat(progress.targetTierId()).isEqualTo(2);
            assertThat(progress.qualified()).isTrue();
            assertThat(progress.requirements())
                    .extracting(Requirement::code, Requirement::actual)
                    .contains(org.assertj.core.groups.Tuple.tuple("ACTIVATED_BADGES", 2L));
            assertThat(progress.message()).contains("2 of 2 requirements");
        });
        assertThat(steps.get(3)).isInstanceOfSatisfying(BadgeActivated.class, done -> {
            assertThat(done.badgeId()).isEqualTo("first-trade");
            assertThat(done.activationId()).hasToString(id);
        });

        JsonNode view = json(get(http, holder.userId(), "/api/v1/badges/activations/" + id));
        assertThat(view.get("progress").asInt()).isEqualTo(100);
        assertThat(view.get("targetTierId").asInt()).isEqualTo(2);
        assertThat(view.get("requirements")).hasSize(2);
    }

    @Test
    void theSameRequestAgainAnswersTheSameActivationAndPublishesNothing() {
        Holder holder = holders.holder(1, 0, 100);
        badge(holder.userId(), "first-trade", "earned");
        badge(holder.userId(), "trades-10", "earned");
        String id = json(activate(holder.userId(), "first-trade", "Idempotency-Key", "key-a"))
                .get("activationId")
                .asString();
        awaitTerminal(holder.userId(), id);
        long published = outboxRowsOf(holder.userId());

        HttpResponse<String> sameKey = activate(holder.userId(), "first-trade", "Idempotency-Key", "key-a");
        HttpResponse<String> noKey = activate(holder.userId(), "first-trade");
        HttpResponse<String> newKey = activate(holder.userId(), "first-trade", "Idempotency-Key", "key-b");

        for (HttpResponse<String> again : List.of(sameKey, noKey, newKey)) {
            assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
            assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            assertThat(json(again).get("activationId").asString()).isEqualTo(id);
            assertThat(json(again).get("status").asString()).isEqualTo("activated");
        }
        assertProblem(activate(holder.userId(), "trades-10", "Idempotency-Key", "key-a"), 422, "another badge");
        assertThat(outboxRowsOf(holder.userId())).as("nothing published again").isEqualTo(published);
        assertThat(jdbc.sql("select count(*) from badge_activations where user_id = :u")
                        .param("u", holder.userId())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aBadgeTheCallerDoesNotHaveIs404AndAConsumedOneIs409AndNeitherWritesAnything() {
        String user = "user-" + UUID.randomUUID();
        String other = "user-" + UUID.randomUUID();
        badge(user, "volume-100k", "consumed");
        badge(other, "first-trade", "earned");
        List<Map<String, Object>> before = badgeRows(user, other);

        assertProblem(activate(user, "first-trade", "Idempotency-Key", "k"), 404, "no badge first-trade");
        assertProblem(activate(user, "no-such-badge"), 404, "no badge");
        assertProblem(activate(user, "volume-100k", "Idempotency-Key", "k"), 409, "consumed");
        assertProblem(activate(other, "first-trade", "Idempotency-Key", "x".repeat(201)), 400, "Idempotency-Key");
        assertProblem(get(http, user, "/api/v1/badges/activations/" + UUID.randomUUID()), 404, "no badge activation");

        assertThat(badgeRows(user, other)).isEqualTo(before);
        for (String table : List.of("badge_activations", "badge_activation_idempotency_keys")) {
            assertThat(jdbc.sql("select count(*) from " + table + " where user_id in (:u, :o)")
                            .param("u", user)
                            .param("o", other)
                            .query(Long.class)
                            .single())
                    .as(table)
                    .isZero();
        }
        assertThat(outboxRowsOf(user) + outboxRowsOf(other))
                .as("nothing published")
                .isZero();
    }

    private List<Map<String, Object>> badgeRows(String... users) {
        return jdbc.sql("select * from badges where user_id in (:users) order by user_id, code")
                .param("users", List.of(users))
                .query()
                .listOfRows();
    }

    @Test
    void anotherUsersActivationIsNotFound() {
        Holder holder = holders.holder(1, 0, 100);
        badge(holder.userId(), "first-trade", "earned");
        String id = json(activate(holder.userId(), "first-trade"))
                .get("activationId")
                .asString();

        assertProblem(get(http, "someone-else", "/api/v1/badges/activations/" + id), 404, "no badge activation");
        assertThat(awaitTerminal(holder.userId(), id)).isEqualTo("activated");
    }

    @Test
    void aBadgeActivatedBeforeActivationsWereRecordedAnswersItsActivationAndPublishesNothing() {
        String user = "user-" + UUID.randomUUID();
        badge(user, "first-trade", "activated");

        HttpResponse<String> response = activate(user, "first-trade");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(response).get("status").asString()).isEqualTo("activated");
        assertThat(outboxRowsOf(user)).isZero();
    }

    @Test
    void concurrentRequestsForOneBadgeMakeOneActivation() throws Exception {
        Holder holder = holders.holder(1, 0, 100);
        UUID badgeId = badge(holder.userId(), "first-trade", "earned");

        List<HttpResponse<String>> responses = concurrently(
                20,
                () -> activate(
                        holder.userId(),
                        "first-trade",
                        "Idempotency-Key",
                        UUID.randomUUID().toString()));

        assertThat(responses)
                .allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(202));
        Set<String> ids = responses.stream()
                .map(r -> json(r).get("activationId").asString())
                .collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(responses.stream()
                        .filter(r -> r.headers()
                                .firstValue("Idempotent-Replayed")
                                .orElseThrow()
                                .equals("false")))
                .hasSize(1);
        String id = ids.iterator().next();
        assertThat(awaitTerminal(holder.userId(), id)).isEqualTo("activated");
        assertThat(badgeStatus(badgeId)).isEqualTo("activated");
        assertThat(outboxTypes(id)).containsOnlyOnce("BadgeActivated");
    }

    /**
     * The user holds one activated badge and activates a second while an upgrade requiring 2 consumes. The
     * second badge counts for the upgrade or stays activated for the next one, never both, and its
     * activation completes either way.
     */
    @Test
    void anActivationRacingAnUpgradesConsumptionCountsForItOrNotNeverBoth() throws Exception {
        int users = 12;
        List<Callable<Runnable>> races = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String user = "racer-" + UUID.randomUUID();
            UUID first = badge(user, "first-trade", "activated");
            UUID second = badge(user, "trades-10", "earned");
            UUID upgrade = UUID.randomUUID();
            races.add(() -> {
                try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    Future<HttpResponse<String>> activation = pool.submit(() -> activate(user, "trades-10"));
                    Future<List<String>> consumed =
                            pool.submit(() -> tx.execute(status -> consumption.consume(user, upgrade, 2)));
                    String id = json(activation.get()).get("activationId").asString();
                    List<String> consumedIds = consumed.get();
                    return () -> {
                        assertThat(awaitTerminal(user, id)).isEqualTo("activated");
                        assertThat(badgeStatus(first)).isEqualTo("consumed");
                        String secondStatus = badgeStatus(second);
                        assertThat(secondStatus).isIn("activated", "consumed");
                        if (consumedIds.contains(second.toString())) {
                            assertThat(secondStatus).isEqualTo("consumed");
                            assertThat(consumedIds).containsExactlyInAnyOrder(first.toString(), second.toString());
                        } else {
                            assertThat(secondStatus)
                                    .as("not consumed, so still activated")
                                    .isEqualTo("activated");
                            assertThat(consumedIds).containsExactly(first.toString());
                        }
                        assertThat(jdbc.sql("select count(*) from badges where consumed_by_upgrade = :u")
                                        .param("u", upgrade)
                                        .query(Long.class)
                                        .single())
                                .isEqualTo(consumedIds.size());
                    };
                }
            });
        }
        List<Runnable> checks = new ArrayList<>();
        for (Callable<Runnable> race : races) {
            checks.add(race.call());
        }
        checks.forEach(Runnable::run);
    }

    @Test
    void anActivationWhoseBadgeIsNoLongerEarnedIsResumedAndEndsFailedWithItsReason() {
        String user = "user-" + UUID.randomUUID();
        UUID badgeId = badge(user, "first-trade", "consumed");
        // An activation its instance stopped driving, whose badge was consumed meanwhile (changed by hand).
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into badge_activations (id, user_id, badge_id, badge_code, status, created_at, updated_at)
                        values (:id, :user, :badge, 'first-trade', 'requested', now() - interval '1 minute',
                            now() - interval '1 minute')""")
                .param("id", id)
                .param("user", user)
                .param("badge", badgeId)
                .update();

        assertThat(awaitTerminal(user, id.toString())).isEqualTo("failed");

        JsonNode view = json(get(http, user, "/api/v1/badges/activations/" + id));
        assertThat(view.get("failureReason").asString()).contains("consumed");
        assertThat(badgeStatus(badgeId)).isEqualTo("consumed");
        assertThat(outboxTypes(id.toString())).containsExactly("BadgeActivationFailed");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(stepsOnTheTopic(id.toString()))
                        .singleElement()
                        .isInstanceOfSatisfying(
                                BadgeActivationFailed.class,
                                f -> assertThat(f.reason()).contains("consumed")));
    }
}
