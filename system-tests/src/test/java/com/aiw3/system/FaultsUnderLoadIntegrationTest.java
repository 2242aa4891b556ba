package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Users upgrading with open streams while upgrade-service, sse-gateway, notification-service, api-gateway
 * and the Kafka broker are each killed with kill -9 in turn and started again. Afterwards every upgrade is
 * completed, the chain holds exactly one new NFT per upgrade (so no burn is left without its mint), every
 * stream saw each of its events once across its reconnections, and the audit log holds each completion
 * once and verifies. The users' clients behave as the app does: a refused or broken request is sent again
 * with the same idempotency key ({@link User#sendRetrying}), a broken stream resumes with
 * {@code Last-Event-ID} ({@link EventStream}).
 *
 * <p>Size: {@value #DEFAULT_USERS} users ({@code -Dsystem.faults.users=300} is the large size); their
 * upgrades start spread over the fault sequence.
 */
class FaultsUnderLoadIntegrationTest {

    static final String USERS_PROPERTY = "system.faults.users";
    static final int DEFAULT_USERS = 15;

    /** The processes killed, in this order, each once the previous one is back. */
    static final List<String> VICTIMS =
            List.of("upgrade-service", "sse-gateway", "notification-service", "api-gateway", "kafka");

    /** Between one process being ready again and the next kill: load flows on the whole platform. */
    private static final Duration BETWEEN_FAULTS = Duration.ofSeconds(3);

    private final Platform platform = Platform.get();

    record Run(User user, EventStream stream, String upgradeId) {}

    @Test
    void killingEachServiceAndTheBrokerInTurnDuringLoadLosesNothingAndDoesNothingTwice() throws Exception {
        int users = Integer.getInteger(USERS_PROPERTY, DEFAULT_USERS);
        // Signing in and the tier-1 NFT come first: the development token endpoint is not retried.
        List<User> people = new ArrayList<>();
        Map<String, EventStream> streams = new ConcurrentHashMap<>();
        for (int i = 0; i < users; i++) {
            User user = Journeys.holder(platform, "faultload");
            people.add(user);
            EventStream stream = EventStream.open(platform, user);
            streams.put(user.id, stream);
        }
        List<Run> runs = new CopyOnWriteArrayList<>();
        Map<String, Duration> downtime = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (EventStream stream : streams.values()) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !stream.ofType("connection_established").isEmpty());
            }
            // Upgrades start one after another across the expected length of the fault sequence.
            long spreadMillis = VICTIMS.size() * 12_000L / users;
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                User user = people.get(i);
                long delay = i * spreadMillis;
                work.add(executor.submit(() -> {
                    Thread.sleep(delay);
                    runs.add(new Run(user, streams.get(user.id), upgrade(user)));
                    return null;
                }));
            }
            Future<?> faults = executor.submit(() -> {
                for (String victim : VICTIMS) {
                    Thread.sleep(BETWEEN_FAULTS);
                    long down = System.nanoTime();
                    killAndRestart(victim);
                    downtime.put(victim, Duration.ofNanos(System.nanoTime() - down));
                }
                return null;
            });
            faults.get(10, TimeUnit.MINUTES);
            for (Future<?> f : work) {
                f.get(10, TimeUnit.MINUTES);
            }

            for (Run run : runs) {
                await().atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> Journeys.isTerminal(run.user().upgradeStatus(run.upgradeId())));
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            Set<String> mints = ConcurrentHashMap.newKeySet();
            for (Run run : runs) {
                JsonNode upgrade =
                        run.user().get("/api/v1/nft/upgrade/" + run.upgradeId()).json();
                assertThat(upgrade.path("status").asString())
                        .as("upgrade %s of %s", run.upgradeId(), run.user().id)
                        .isEqualTo("completed");
                String mint = upgrade.path("newMintAddress").asString();
                assertThat(mints.add(mint)).as("mint %s is one upgrade's", mint).isTrue();
                assertThat(Chain.mintSupply(platform, mint))
                        .as("supply of %s", mint)
                        .isEqualTo(1);
            }
            for (Run run : runs) {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> run.stream().ofType("nft_upgrade_status").stream()
                                .anyMatch(e -> e.data()
                                                .path("upgradeId")
                                                .asString()
                                                .equals(run.upgradeId())
                                        && e.data().path("status").asString().equals("completed")));
                assertThat(run.stream().events())
                        .as("events of %s's stream, across its reconnections", run.user().id)
                        .filteredOn(e -> e.id() != null && !e.type().equals("connection_established"))
                        .extracting(EventStream.Event::id)
                        .doesNotHaveDuplicates();
            }
            User operator = User.operator(platform);
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() -> {
                for (Run run : runs) {
                    List<JsonNode> records = Journeys.auditRecords(operator, run.upgradeId());
                    assertThat(records)
                            .filteredOn(r -> r.path("type").asString().equals("UpgradeCompleted"))
                            .hasSize(1);
                    assertThat(records)
                            .extracting(r -> r.path("eventId").asString())
                            .doesNotHaveDuplicates();
                }
            });
            JsonNode chain = operator.get("/api/v1/audit/verify").json();
            assertThat(chain.path("intact").asBoolean()).as(chain.toString()).isTrue();

            Map<String, String> restarts = new LinkedHashMap<>();
            downtime.forEach((victim, took) -> restarts.put(victim, "%.1f s".formatted(took.toMillis() / 1000.0)));
            System.out.printf(
                    "[system] faults under load: %d upgrades completed in %.1f s while each was killed and restarted"
                            + " (down until ready: %s); %d client retries, %d stream reconnections%n",
                    runs.size(),
                    seconds,
                    restarts,
                    User.retries.get(),
                    streams.values().stream().mapToInt(s -> s.connects() - 1).sum());
            assertThat(runs).hasSize(users);
        } finally {
            streams.values().forEach(EventStream::close);
        }
    }

    /** The app's upgrade: request, sign and send the burn, confirm; returns the upgrade id. */
    private static String upgrade(User user) throws Exception {
        JsonNode upgrade = user.requestUpgrade();
        String id = upgrade.path("upgradeId").asString();
        String signature = user.signAndSendBurn(upgrade);
        User.Reply confirmed = user.confirmBurn(id, signature);
        // 409: an earlier attempt of this confirmation went through but its answer was cut by a kill.
        assertThat(confirmed.status()).as(confirmed.toString()).isIn(202, 409);
        return id;
    }

    private void killAndRestart(String victim) throws Exception {
        if (victim.equals("kafka")) {
            platform.kafka().stop(true);
            platform.kafka().launch();
            return;
        }
        platform.crash(victim);
        platform.launch(victim);
        platform.awaitReady(victim);
    }
}
