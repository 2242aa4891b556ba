package com.aiw3.notification.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.notification.inbox.InboxStore.Filter;
import com.aiw3.testing.TestPostgres;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The inbox's two hot reads — the unread count and the first page of the feed — on a full table (figures:
 * docs/performance.md): {@code ./mvnw -Pbenchmark -pl notification-service -am verify
 * -Dit.test=InboxReadBenchmark [-Dbenchmark.users=100000] [-Dbenchmark.per-user=200]}. Loads the users'
 * notifications (a tenth unread), then times each read for random users and prints the plans, which must
 * read one index range per user and no table scan.
 */
@SpringBootTest(
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "spring.kafka.listener.auto-startup=false",
            "aiw3.messaging.topics.max-partitions=1",
            "logging.level.root=WARN"
        })
@EmbeddedKafka(partitions = 1)
class InboxReadBenchmark {

    private static final int SAMPLES = 2_000;
    private static final int BATCH_USERS = 2_000;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "inbox_bench");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    InboxStore store;

    @Test
    void unreadCountAndFirstPageReadOneIndexRangePerUser() {
        try {
            run();
        } finally {
            // The table is millions of rows in the shared test database: leave nothing behind.
            jdbc.sql("truncate notifications cascade").update();
        }
    }

    private void run() {
        int users = Integer.getInteger("benchmark.users", 100_000);
        int perUser = Integer.getInteger("benchmark.per-user", 200);
        long loadStarted = System.nanoTime();
        for (int from = 0; from < users; from += BATCH_USERS) {
            load(from, Math.min(users, from + BATCH_USERS), perUser);
        }
        jdbc.sql("vacuum analyze notifications").update();
        double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "[benchmark] inbox: loaded %,d users x %d notifications (%,d rows) in %.0f s (%,.0f rows/s)%n",
                users,
                perUser,
                (long) users * perUser,
                loadSeconds,
                users * (double) perUser / loadSeconds);

        SplittableRandom random = new SplittableRandom(42);
        Filter all = new Filter(false, null, false);
        Filter unread = new Filter(true, null, false);
        measure("unread-count", i -> store.counts(user(random.nextInt(users))), random);
        measure("first page (20)", i -> store.page(user(random.nextInt(users)), all, null, 21), random);
        measure("first unread page (20)", i -> store.page(user(random.nextInt(users)), unread, null, 21), random);

        String someone = user(users / 2);
        String countPlan = explain("""
                select count(*) as unread, count(*) filter (where seen_at is null) as unseen
                from notifications
                where user_id = :user and in_feed and read_at is null and archived_at is null
                    and (snoozed_until is null or snoozed_until <= now())""", someone);
        String pagePlan = explain("""
                select id, created_at from notifications where user_id = :user and in_feed
                    and archived_at is null and (snoozed_until is null or snoozed_until <= now())
                order by created_at desc, id desc limit 21""", someone);
        System.out.println("[benchmark] inbox: unread-count plan\n" + countPlan);
        System.out.println("[benchmark] inbox: first page plan\n" + pagePlan);
        assertThat(countPlan).contains("notifications_unread").doesNotContain("Seq Scan");
        assertThat(pagePlan).contains("notifications_feed").doesNotContain("Seq Scan");
    }

    private void load(int from, int to, int perUser) {
        jdbc.sql("""
                        insert into notifications (id, user_id, priority, category, template, title, body, data, status,
                            created_at, seen_at, read_at)
                        select gen_random_uuid(), 'bench-' || u, 'low',
                            (array['NFT', 'TRADING', 'SOCIAL', 'SYSTEM'])[1 + n % 4], 'default', 'Notification ' || n,
                            'Something happened that the user may want to know about.', '{}', 'delivered',
                            now() - make_interval(mins => n),
                            case when n > :unread then now() - make_interval(mins => n) end,
                            case when n > :unread then now() - make_interval(mins => n) end
                        from generate_series(:from, :to - 1) u, generate_series(1, :perUser) n""")
                .param("from", from)
                .param("to", to)
                .param("perUser", perUser)
                .param("unread", Math.max(1, perUser / 10))
                .update();
    }

    private static String user(int i) {
        return "bench-" + i;
    }

    private void measure(String what, IntConsumer read, SplittableRandom random) {
        for (int i = 0; i < SAMPLES / 4; i++) {
            read.accept(i); // warm-up
        }
        long[] micros = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long started = System.nanoTime();
            read.accept(i);
            micros[i] = (System.nanoTime() - started) / 1_000;
        }
        Arrays.sort(micros);
        System.out.printf(
                Locale.ROOT,
                "[benchmark] inbox: %-24s p50 %,6d µs  p99 %,6d µs  max %,6d µs  (%d random users)%n",
                what,
                micros[SAMPLES / 2],
                micros[SAMPLES * 99 / 100],
                micros[SAMPLES - 1],
                SAMPLES);
    }

    private String explain(String sql, String user) {
        List<String> lines = new ArrayList<>(jdbc.sql("explain (analyze, buffers) " + sql)
                .param("user", user)
                .query(String.class)
                .list());
        return String.join("\n", lines);
    }
}
