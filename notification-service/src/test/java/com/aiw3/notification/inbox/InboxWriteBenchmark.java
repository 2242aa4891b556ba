package com.aiw3.notification.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.notification.Priority;
import com.aiw3.events.realtime.EventCategory;
import com.aiw3.notification.dispatch.NotificationRouter;
import com.aiw3.testing.TestPostgres;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The feed's write side: how many notifications a second join their users' feeds, each through the
 * service's own intake path ({@code NotificationRouter.accept}: the insert, grouping, the per-user cap, the
 * counts, {@code InboxItemAdded} into the outbox, the hold for an offline user, one transaction), with every
 * user at the cap and half the notifications grouped (figures: docs/performance.md):
 * {@code ./mvnw -Pbenchmark -pl notification-service -am verify -Dit.test=InboxWriteBenchmark
 * [-Dbenchmark.users=200] [-Dbenchmark.per-user=50] [-Dbenchmark.cap=100] [-Dbenchmark.threads=1,4]}.
 * For each thread count a fresh set of users is loaded with {@code cap} finished notifications, then the
 * threads add {@code per-user} notifications to each of their users (a user belongs to one thread, as a
 * user belongs to one partition of the intake); every insert removes that user's oldest finished item.
 */
@SpringBootTest(
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "spring.kafka.listener.auto-startup=false",
            "aiw3.messaging.topics.max-partitions=1",
            // Nothing leaves the hold while the writes are measured.
            "aiw3.notification.inbox.fallback-delay=1h",
            "aiw3.notification.inbox.max-items-per-user=${benchmark.cap:100}",
            "logging.level.root=WARN"
        })
@EmbeddedKafka(partitions = 1)
class InboxWriteBenchmark {

    private static final int GROUPS = 4;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "inbox_write_bench");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    NotificationRouter router;

    @Test
    void notificationsJoinFullFeedsWithGroupingAndTheCap() throws Exception {
        try {
            run();
        } finally {
            // Leave nothing behind in the shared test database.
            jdbc.sql("truncate notifications cascade").update();
        }
    }

    private void run() throws Exception {
        int users = Integer.getInteger("benchmark.users", 200);
        int perUser = Integer.getInteger("benchmark.per-user", 50);
        int cap = Integer.getInteger("benchmark.cap", 100);
        List<Integer> threadCounts = Arrays.stream(
                        System.getProperty("benchmark.threads", "1,4").split(","))
                .map(String::strip)
                .map(Integer::parseInt)
                .toList();
        assertThat(perUser)
                .as("every insert finds a finished item to remove only while per-user <= cap")
                .isLessThanOrEqualTo(cap);

        warmUp(Math.min(users, 50), cap);
        for (int threads : threadCounts) {
            String prefix = "write-" + threads + "-";
            preload(prefix, users, cap);
            measure(prefix, users, perUser, threads);
            assertThat(jdbc.sql("""
                                    select max(n) from (select count(*) n from notifications
                                                        where user_id like :p group by user_id) c""")
                            .param("p", prefix + "%")
                            .query(Integer.class)
                            .single())
                    .as("the cap holds")
                    .isEqualTo(cap);
            assertThat(jdbc.sql("select max(group_count) from notifications where user_id like :p")
                            .param("p", prefix + "%")
                            .query(Integer.class)
                            .single())
                    .as("grouped notifications collapsed")
                    .isGreaterThan(1);
        }
    }

    private void warmUp(int users, int cap) throws Exception {
        preload("warm-", users, cap);
        add("warm-", users, Math.min(cap, 20), 2, false);
    }

    /** Each user's feed at the cap: {@code cap} delivered and read notifications, a minute apart. */
    private void preload(String prefix, int users, int cap) {
        jdbc.sql("""
                        insert into notifications (id, user_id, priority, category, template, title, body, data, status,
                            created_at, seen_at, read_at)
                        select gen_random_uuid(), :prefix || u, 'low', 'TRADING', 'default', 'Notification ' || n,
                            'Something happened that the user may want to know about.', '{}', 'delivered',
                            now() - make_interval(mins => n), now(), now()
                        from generate_series(0, :users - 1) u, generate_series(1, :cap) n""")
                .param("prefix", prefix)
                .param("users", users)
                .param("cap", cap)
                .update();
        jdbc.sql("vacuum analyze notifications").update();
    }

    private void measure(String prefix, int users, int perUser, int threads) throws Exception {
        long started = System.nanoTime();
        long[] micros = add(prefix, users, perUser, threads, true);
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(micros);
        int n = micros.length;
        System.out.printf(
                Locale.ROOT,
                "[benchmark] inbox writes: %d thread(s), %,d users x %d at the cap (%d): %,d added in %.1f s ="
                        + " %,.0f items/s; per item p50 %,d µs  p99 %,d µs  max %,d µs%n",
                threads,
                users,
                perUser,
                Integer.getInteger("benchmark.cap", 100),
                n,
                seconds,
                n / seconds,
                micros[n / 2],
                micros[(int) (n * 0.99)],
                micros[n - 1]);
    }

    /**
     * Adds {@code perUser} notifications to every user, the users split between {@code threads}; returns
     * each addition's time in µs when {@code timed}.
     */
    private long[] add(String prefix, int users, int perUser, int threads, boolean timed) throws Exception {
        long[] micros = new long[users * perUser];
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int round = 0; round < perUser; round++) {
                        for (int u = thread; u < users; u += threads) {
                            NotificationRequested request = request(prefix + u, round);
                            long begun = System.nanoTime();
                            router.accept(request, Instant.now());
                            if (timed) {
                                micros[round * users + u] = (System.nanoTime() - begun) / 1_000;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        return micros;
    }

    /** Every other notification is of one of a few groups, as repeated trade fills are. */
    private static NotificationRequested request(String user, int round) {
        Map<String, String> data =
                round % 2 == 0 ? Map.of(Inbox.GROUP_KEY, "trades-" + (round / 2) % GROUPS) : Map.of();
        return new NotificationRequested(
                UUID.randomUUID(),
                user,
                Priority.LOW,
                EventCategory.TRADING,
                "default",
                "Trade filled",
                "Your order " + round + " was filled.",
                data);
    }
}
