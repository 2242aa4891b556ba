package com.aiw3.upgrade;

import static com.aiw3.upgrade.support.UpgradeTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.serde.EventDeserializer;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.testing.TestHttp;
import com.aiw3.upgrade.support.Holders;
import com.aiw3.upgrade.support.Holders.Holder;
import com.aiw3.upgrade.support.UpgradeTestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * N concurrent full upgrades (POST, wallet burn, confirm-burn, pipeline to completed) against Solana RPC
 * and Kubo stubs with realistic latency, on real PostgreSQL and Kafka:
 * {@code ./mvnw -Pbenchmark -pl upgrade-service -am verify [-Dbenchmark.upgrades=500 -Dbenchmark.rampSeconds=20
 * -Dbenchmark.walletMinSeconds=30 -Dbenchmark.walletMaxSeconds=60]}.
 * Prints throughput and p50/p99 of each API call, with {@code GET /api/v1/nft/tiers} (no database, no
 * chain) at the same concurrency as the service's floor.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=3",
            "aiw3.upgrade.solana.confirm-poll-interval=200ms",
            "logging.level.root=WARN"
        })
@EmbeddedKafka(partitions = 3)
class UpgradeBenchmark extends StubbedChainTest {

    @Test
    void concurrentFullUpgrades() throws Exception {
        int upgrades = Integer.getInteger("benchmark.upgrades", 500);
        // 500 started over 20 s, each wallet approving after 30-60 s: all 500 in flight at the peak.
        double ramp = Double.parseDouble(System.getProperty("benchmark.rampSeconds", "20"));
        int walletMin = Integer.getInteger("benchmark.walletMinSeconds", 30);
        int wallet = Integer.getInteger("benchmark.walletMaxSeconds", 60);
        // A hosted RPC node answers in tens of milliseconds; a Kubo add of a small file in ~50-150 ms.
        RPC.latency(20, 80);
        KUBO.latency(50, 150);
        TestHttp http = new TestHttp(port);
        Holders holders = new Holders(jdbc);

        run(http, holders, Math.min(100, upgrades), 1, 0, 0, "warm-up", false);
        run(
                http,
                holders,
                upgrades,
                ramp,
                walletMin,
                wallet,
                "%d started over %.0f s, each wallet signs after %d-%d s".formatted(upgrades, ramp, walletMin, wallet),
                true);
        run(http, holders, upgrades, 0, 0, 0, "stress: all " + upgrades + " at once, wallets sign instantly", true);
    }

    private void run(
            TestHttp http,
            Holders holders,
            int n,
            double rampSeconds,
            int walletMinSeconds,
            int walletMaxSeconds,
            String label,
            boolean print)
            throws Exception {
        List<Holder> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(holders.qualifiedForTier2());
        }
        Map<String, Long> completedAt = new ConcurrentHashMap<>();
        AtomicBoolean listening = new AtomicBoolean(true);
        Thread listener = Thread.ofPlatform().start(() -> listen(completedAt, listening));

        List<Long> post = Collections.synchronizedList(new ArrayList<>());
        List<Long> confirm = Collections.synchronizedList(new ArrayList<>());
        List<Long> floor = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> startedAt = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        try (var users = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Holder holder : batch) {
                long offset = rampSeconds == 0
                        ? 0
                        : (long) (ThreadLocalRandom.current().nextDouble() * rampSeconds * 1e9);
                users.submit(() -> {
                    sleepUntil(t0 + offset);
                    long s = System.nanoTime();
                    HttpResponse<String> started = UpgradeTestSupport.start(http, holder.userId(), 2);
                    post.add(System.nanoTime() - s);
                    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                    String id = json(started).get("upgradeId").asString();
                    startedAt.put(id, s);
                    long f = System.nanoTime();
                    UpgradeTestSupport.get(http, holder.userId(), "/api/v1/nft/tiers");
                    floor.add(System.nanoTime() - f);
                    if (walletMaxSeconds > walletMinSeconds) {
                        // A person reads the wallet prompt and approves: seconds, not milliseconds.
                        sleepUntil(System.nanoTime()
                                + (long) (ThreadLocalRandom.current().nextDouble(walletMinSeconds, walletMaxSeconds)
                                        * 1e9));
                    }
                    String signature = UpgradeTestSupport.signAndLand(
                            RPC, holder, json(started).get("burnTransaction").asString());
                    long c = System.nanoTime();
                    HttpResponse<String> confirmed =
                            UpgradeTestSupport.confirmBurn(http, holder.userId(), id, signature);
                    confirm.add(System.nanoTime() - c);
                    assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(202);
                    return null;
                });
            }
        }
        await().atMost(Duration.ofMinutes(5)).until(() -> completedAt.keySet().containsAll(startedAt.keySet()));
        long t1 = System.nanoTime();
        listening.set(false);
        listener.join();
        if (!print) {
            return;
        }
        List<Long> endToEnd = startedAt.entrySet().stream()
                .map(e -> completedAt.get(e.getKey()) - e.getValue())
                .toList();
        double seconds = (t1 - t0) / 1e9;
        // Peak number of upgrades between their POST and their completion at the same moment.
        List<long[]> edges = new ArrayList<>();
        startedAt.forEach((id, at) -> {
            edges.add(new long[] {at, 1});
            edges.add(new long[] {completedAt.get(id), -1});
        });
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int peak = 0;
        int current = 0;
        for (long[] edge : edges) {
            current += (int) edge[1];
            peak = Math.max(peak, current);
        }
        System.out.printf(
                """

                === upgrade-service benchmark: %s ===
                %d full upgrades in %.1f s = %.1f completed upgrades/s, at most %d in flight at once
                (RPC 20-80 ms, Kubo 50-150 ms per call;
                the wallets' ed25519 signing, the RPC/Kubo stubs, Kafka and PostgreSQL share the machine's cores)
                %-44s p50 %7.1f ms   p99 %7.1f ms
                %-44s p50 %7.1f ms   p99 %7.1f ms
                %-44s p50 %7.1f ms   p99 %7.1f ms
                %-44s p50 %7.1f ms   p99 %7.1f ms
                POST p99 / floor p99 = %.2f
                """,
                label,
                n,
                seconds,
                n / seconds,
                peak,
                "POST /api/v1/nft/upgrade",
                pct(post, 50),
                pct(post, 99),
                "PATCH .../confirm-burn (one RPC lookup)",
                pct(confirm, 50),
                pct(confirm, 99),
                "POST to completed (incl. wallet time)",
                pct(endToEnd, 50),
                pct(endToEnd, 99),
                "floor: GET /api/v1/nft/tiers (same load)",
                pct(floor, 50),
                pct(floor, 99),
                pct(post, 99) / pct(floor, 99));
    }

    private void listen(Map<String, Long> completedAt, AtomicBoolean listening) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, EventDeserializer.class);
        try (KafkaConsumer<String, EventEnvelope<EventPayload>> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.NFT_UPGRADE_EVENTS.name()));
            while (listening.get()) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value().payload() instanceof UpgradeEvent.UpgradeCompleted done) {
                        completedAt.putIfAbsent(done.upgradeId().toString(), System.nanoTime());
                    }
                }
            }
        }
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static double pct(List<Long> nanos, int percentile) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
