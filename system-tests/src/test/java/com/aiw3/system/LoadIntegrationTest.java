package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Many users at once, each holding an SSE stream and doing an upgrade through api-gateway. Every upgrade
 * must reach a terminal state, each user's stream must show it, and the audit log must hold each
 * upgrade's completion once. Prints throughput and latencies. Size: {@code -Dsystem.load.users=N}
 * (CI runs a small default; the full size is 1,000).
 */
class LoadIntegrationTest {

    private final Platform platform = Platform.get();

    /** What one user measured. */
    record Outcome(String userId, String upgradeId, String status, long requestMillis, long confirmToCompletedMillis) {}

    @Test
    void everyUpgradeOfManyConcurrentUsersWithOpenStreamsReachesATerminalStateAndIsAuditedOnce() throws Exception {
        int users = Integer.getInteger("system.load.users", 40);
        // Users arrive concurrently, but the wallet step is serialised by the single development wallet
        // of the local node; bound the requests in flight like a client pool would.
        Semaphore inFlight = new Semaphore(Math.min(users, 200));
        Map<String, EventStream> streams = new ConcurrentHashMap<>();
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                work.add(executor.submit(() -> {
                    inFlight.acquire();
                    try {
                        User user = Journeys.holder(platform, "load");
                        EventStream stream = EventStream.open(platform, user);
                        streams.put(user.id, stream);
                        await().atMost(Duration.ofSeconds(60))
                                .until(() ->
                                        !stream.ofType("connection_established").isEmpty());
                        long t0 = System.nanoTime();
                        JsonNode upgrade = user.requestUpgrade();
                        long requested = System.nanoTime();
                        String id = upgrade.path("upgradeId").asString();
                        String signature = user.signAndSendBurn(upgrade);
                        long confirm = System.nanoTime();
                        User.Reply confirmed = user.confirmBurn(id, signature);
                        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(202);
                        await().atMost(Duration.ofSeconds(600))
                                .pollInterval(Duration.ofMillis(100))
                                .until(() -> stream.ofType("nft_upgrade_status").stream()
                                        .anyMatch(e -> e.data()
                                                        .path("upgradeId")
                                                        .asString()
                                                        .equals(id)
                                                && Journeys.isTerminal(
                                                        e.data().path("status").asString())));
                        long done = System.nanoTime();
                        outcomes.add(new Outcome(
                                user.id,
                                id,
                                user.upgradeStatus(id),
                                (requested - t0) / 1_000_000,
                                (done - confirm) / 1_000_000));
                    } finally {
                        inFlight.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            streams.values().forEach(EventStream::close);
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        User operator = User.operator(platform);
        await().atMost(Duration.ofSeconds(300)).untilAsserted(() -> {
            long audited = 0;
            for (Outcome outcome : outcomes) {
                List<JsonNode> records = Journeys.auditRecords(operator, outcome.upgradeId());
                audited += records.stream()
                        .filter(r -> r.path("type").asString().equals("UpgradeCompleted"))
                        .count();
                assertThat(records)
                        .extracting(r -> r.path("eventId").asString())
                        .doesNotHaveDuplicates();
            }
            assertThat(audited).isEqualTo(outcomes.size());
        });

        List<Long> request =
                outcomes.stream().map(Outcome::requestMillis).sorted().toList();
        List<Long> e2e = outcomes.stream()
                .map(Outcome::confirmToCompletedMillis)
                .sorted()
                .toList();
        System.out.printf(
                "[system] load: %d users with open streams, %d upgrades completed in %.1f s (%.1f upgrades/s);"
                        + " POST upgrade p50 %d ms p99 %d ms; confirm-burn to completed on the stream p50 %d ms p99 %d ms;"
                        + " 503/429 answers retried by clients: %d%n",
                users,
                outcomes.stream().filter(o -> o.status().equals("completed")).count(),
                seconds,
                outcomes.size() / seconds,
                percentile(request, 50),
                percentile(request, 99),
                percentile(e2e, 50),
                percentile(e2e, 99),
                User.retries.get());
        assertThat(outcomes)
                .hasSize(users)
                .allSatisfy(o -> assertThat(o.status()).isEqualTo("completed"));
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
