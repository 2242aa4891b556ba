package com.aiw3.notification.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.notification.Channel;
import com.aiw3.events.notification.NotificationOutcome;
import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.notification.Priority;
import com.aiw3.events.realtime.EventCategory;
import com.aiw3.events.topic.Topics;
import com.aiw3.notification.Delivered;
import com.aiw3.notification.NotificationServiceApplication;
import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TestPostgres;
import com.aiw3.testing.TopicContents;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The quiet-hours digest against the real service: embedded Kafka, real PostgreSQL, GreenMail as SMTP.
 * Each user's quiet hours start an hour ago and end a few seconds after their notifications arrive, in
 * UTC; the users are offline (no presence), and nothing is held before a third party is used, so the digest
 * is mailed as soon as it is made.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1",
            "aiw3.notification.sweep-interval=200ms",
            "aiw3.notification.retry.initial-backoff=50ms",
            "aiw3.notification.inbox.fallback-delay=0s",
            "spring.mail.host=127.0.0.1",
            "spring.mail.port=3025"
        })
@EmbeddedKafka(partitions = 1)
class QuietHoursDigestIntegrationTest {

    static final String PATH = "/api/v1/notifications";
    static final String SUBJECT = "While you were in quiet hours";
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** How long after a test's notifications are sent its users' quiet hours end. */
    static final Duration QUIET_LEFT = Duration.ofSeconds(10);

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

    static TestPostgres.Database db;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        db = TestPostgres.register(registry, "notification_digest");
    }

    @LocalServerPort
    int port;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    QuietHoursDigests digests;

    TestHttp http;

    @BeforeEach
    void serviceConsuming() {
        http = new TestHttp(port);
        // The quiet hours of a test are seconds long: they start once the service consumes requests.
        String warmUp = user("warm-up@aiw3.test", null);
        NotificationRequested first = notify(warmUp, Priority.LOW, "warm-up");
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        !Delivered.outcomes(brokers, first.notificationId()).isEmpty());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private String user(String email, String quietHoursJson) {
        String user = "user-" + UUID.randomUUID();
        String body = "{\"email\":\"" + email + "\",\"locale\":\"en\""
                + (quietHoursJson == null ? "" : ",\"quietHours\":" + quietHoursJson) + "}";
        HttpResponse<String> saved = http.sendAs("PUT", PATH + "/preferences", user, "", body);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        return user;
    }

    /** Quiet hours from an hour ago until {@code end}, in UTC, with a digest by {@code digest} (or none). */
    private static String quietUntil(LocalTime end, String digest) {
        return "{\"start\":\"%s\",\"end\":\"%s\",\"timeZone\":\"UTC\",\"digest\":%s}"
                .formatted(end.minusHours(1), end, digest == null ? "null" : "\"" + digest + "\"");
    }

    private static LocalTime endOfQuietHours() {
        return LocalTime.now(ZoneOffset.UTC).plus(QUIET_LEFT).withNano(0);
    }

    private NotificationRequested notify(String user, Priority priority, String title) {
        NotificationRequested request = new NotificationRequested(
                UUID.randomUUID(),
                user,
                priority,
                EventCategory.TRADING,
                "default",
                title,
                title + " happened.",
                Map.of());
        EventEnvelope<?> event = EventEnvelope.of(request, "test");
        kafka.send(event.topic().name(), event.key(), event).join();
        return request;
    }

    private void awaitHeldBack(NotificationRequested... requests) {
        List<UUID> ids =
                Stream.of(requests).map(NotificationRequested::notificationId).toList();
        await().atMost(QUIET_LEFT).untilAsserted(() -> {
            // One read of the topic per poll: the condition must stay cheap beside the quiet hours' seconds.
            List<NotificationOutcome> outcomes =
                    TopicContents.events(brokers, Topics.NOTIFICATION_OUTCOMES.name()).stream()
                            .map(EventEnvelope::payload)
                            .filter(p -> p instanceof NotificationOutcome o && ids.contains(o.notificationId()))
                            .map(NotificationOutcome.class::cast)
                            .toList();
            assertThat(outcomes)
                    .hasSize(ids.size())
                    .allSatisfy(o -> assertThat(o)
                            .isInstanceOfSatisfying(
                                    NotificationOutcome.NotificationSuppressed.class,
                                    s -> assertThat(s.reason()).isEqualTo("quiet hours")));
        });
    }

    private List<MimeMessage> digestsMailedTo(String address) {
        return Delivered.mailsTo(smtp, address).stream()
                .filter(m -> {
                    try {
                        return SUBJECT.equals(m.getSubject());
                    } catch (jakarta.mail.MessagingException e) {
                        return false;
                    }
                })
                .toList();
    }

    private List<UUID> digestsOf(String user) {
        return jdbc.sql("select id from notifications where user_id = :u and template = :t")
                .param("u", user)
                .param("t", QuietHoursDigests.TEMPLATE)
                .query(UUID.class)
                .list();
    }

    private JsonNode feed(String user) {
        HttpResponse<String> response = http.sendAs("GET", PATH, user, "", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("items");
    }

    private int unread(String user) {
        HttpResponse<String> response = http.sendAs("GET", PATH + "/unread-count", user, "", null);
        return JSON.readTree(response.body()).get("unread").intValue();
    }

    // ---- the digest ---------------------------------------------------------------------------------

    @Test
    void whenQuietHoursEndAUserWhoOptedInGetsOneDigestOfWhatIsStillUnreadAndOthersGetNone() {
        LocalTime end = endOfQuietHours();
        String opted = user("digest@aiw3.test", quietUntil(end, "email"));
        String notOpted = user("no-digest@aiw3.test", quietUntil(end, null));
        String readAll = user("read-all@aiw3.test", quietUntil(end, "email"));
        NotificationRequested trade = notify(opted, Priority.MEDIUM, "Trade filled");
        NotificationRequested badge = notify(opted, Priority.LOW, "Badge earned");
        NotificationRequested readFirst = notify(opted, Priority.LOW, "Read in the app");
        NotificationRequested notOptedIn = notify(notOpted, Priority.LOW, "Not opted in");
        NotificationRequested alreadyRead = notify(readAll, Priority.LOW, "Read before the end");
        awaitHeldBack(trade, badge, readFirst, notOptedIn, alreadyRead);
        assertThat(http.sendAs("PATCH", PATH + "/" + readFirst.notificationId(), opted, "", "{\"read\":true}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(http.sendAs("PATCH", PATH + "/" + alreadyRead.notificationId(), readAll, "", "{\"read\":true}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(digestsMailedTo("digest@aiw3.test"))
                .as("nothing before the quiet hours end")
                .isEmpty();

        await().atMost(QUIET_LEFT.plusSeconds(20))
                .until(() -> digestsMailedTo("digest@aiw3.test").size() == 1);
        UUID digest = digestsOf(opted).getFirst();
        assertThat(Delivered.outcomes(brokers, digest))
                .singleElement()
                .isInstanceOfSatisfying(
                        NotificationOutcome.NotificationDelivered.class,
                        d -> assertThat(d.channel()).isEqualTo(Channel.EMAIL));

        // The digest is an item of the feed; what it sums up stays unread there.
        JsonNode newest = feed(opted).get(0);
        assertThat(newest.get("id").stringValue()).isEqualTo(digest.toString());
        assertThat(newest.get("body").stringValue())
                .isEqualTo("2 notifications arrived during your quiet hours: Trade filled, Badge earned."
                        + " They are unread in your inbox.");
        assertThat(newest.get("data").get("count").stringValue()).isEqualTo("2");
        assertThat(unread(opted)).isEqualTo(3);
        assertThat(jdbc.sql("select count(*) from notifications where digest_id = :d")
                        .param("d", digest)
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);

        // No digest for a user who did not ask for one, nor for one who read everything in the app.
        assertThat(digestsOf(notOpted)).isEmpty();
        assertThat(digestsOf(readAll)).isEmpty();
        assertThat(jdbc.sql("select count(*) from notifications where user_id in (:users) and digest_due is not null")
                        .param("users", List.of(opted, notOpted, readAll))
                        .query(Integer.class)
                        .single())
                .as("nothing waits any more")
                .isZero();

        // More sweeps change nothing.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> digestsMailedTo("digest@aiw3.test").size() == 1
                        && digestsOf(opted).size() == 1
                        && digestsMailedTo("no-digest@aiw3.test").isEmpty()
                        && digestsMailedTo("read-all@aiw3.test").isEmpty());
        assertThat(digests.digestDue()).isZero();
    }

    @Test
    void aNotificationHeldBackForQuietHoursThatWereDigestedAlreadyJoinsThatDigestInsteadOfStartingAnother() {
        String user = user("late@aiw3.test", quietUntil(endOfQuietHours(), "email"));
        NotificationRequested first = notify(user, Priority.LOW, "First");
        NotificationRequested late = notify(user, Priority.LOW, "Late");
        awaitHeldBack(first, late);
        await().atMost(QUIET_LEFT.plusSeconds(20))
                .until(() -> digestsMailedTo("late@aiw3.test").size() == 1);
        UUID digest = digestsOf(user).getFirst();
        Instant ended = Instant.parse(
                feed(user).get(0).get("data").get("quietHoursEnded").stringValue());

        // As an instance that suppressed it just as the quiet hours ended would leave it: waiting for the
        // digest of the same quiet hours, after that digest was made.
        jdbc.sql("update notifications set digest_due = :due, digest_id = null where id = :id")
                .param("due", Timestamp.from(ended))
                .param("id", late.notificationId())
                .update();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select digest_id from notifications where id = :id")
                        .param("id", late.notificationId())
                        .query(UUID.class)
                        .optional()
                        .filter(digest::equals)
                        .isPresent());
        assertThat(digestsOf(user)).containsExactly(digest);
        assertThat(digestsMailedTo("late@aiw3.test")).hasSize(1);
    }

    @Test
    void twoInstancesMakeOneDigestPerUserWhenTheirQuietHoursEnd() throws Exception {
        try (ConfigurableApplicationContext second = secondInstance()) {
            QuietHoursDigests other = second.getBean(QuietHoursDigests.class);
            LocalTime end = endOfQuietHours();
            List<String> users = new ArrayList<>();
            List<NotificationRequested> sent = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String user = user("twice-" + i + "@aiw3.test", quietUntil(end, "email"));
                users.add(user);
                sent.add(notify(user, Priority.LOW, "First of " + i));
                sent.add(notify(user, Priority.MEDIUM, "Second of " + i));
            }
            awaitHeldBack(sent.toArray(NotificationRequested[]::new));

            // Both instances sweep on their schedules; four more threads sweep as fast as they can.
            try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
                List<Future<?>> sweepers = new ArrayList<>();
                for (QuietHoursDigests instance : List.of(digests, other, digests, other)) {
                    sweepers.add(threads.submit(() -> {
                        while (!Thread.currentThread().isInterrupted() && !allDigested(users)) {
                            instance.digestDue();
                        }
                        return null;
                    }));
                }
                await().atMost(QUIET_LEFT.plusSeconds(30)).until(() -> allDigested(users));
                for (Future<?> sweeper : sweepers) {
                    sweeper.get();
                }
            }
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(users)
                            .allSatisfy(u -> assertThat(digestsMailedTo(mailOf(users, u)))
                                    .hasSize(1)));
            for (String user : users) {
                List<UUID> made = digestsOf(user);
                assertThat(made).hasSize(1);
                assertThat(jdbc.sql("select count(*) from notifications where digest_id = :d")
                                .param("d", made.getFirst())
                                .query(Integer.class)
                                .single())
                        .isEqualTo(2);
            }
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> users.stream()
                            .allMatch(u -> digestsMailedTo(mailOf(users, u)).size() == 1));
        }
    }

    private static String mailOf(List<String> users, String user) {
        return "twice-" + users.indexOf(user) + "@aiw3.test";
    }

    private boolean allDigested(List<String> users) {
        return jdbc.sql("select count(distinct user_id) from notifications where user_id in (:users) and template = :t")
                        .param("users", users)
                        .param("t", QuietHoursDigests.TEMPLATE)
                        .query(Integer.class)
                        .single()
                == users.size();
    }

    /** Another instance of the service on the same database and broker; it does not consume requests. */
    private ConfigurableApplicationContext secondInstance() {
        return new SpringApplicationBuilder(NotificationServiceApplication.class)
                .run(Stream.of(
                                "server.port=0",
                                "spring.kafka.bootstrap-servers=" + brokers,
                                "spring.kafka.listener.auto-startup=false",
                                "aiw3.messaging.topics.max-partitions=1",
                                "spring.datasource.url=" + db.jdbcUrl(),
                                "spring.datasource.username=" + db.username(),
                                "spring.datasource.password=" + db.password(),
                                "spring.flyway.schemas=" + db.schema(),
                                "spring.flyway.default-schema=" + db.schema(),
                                "aiw3.notification.sweep-interval=100ms",
                                "aiw3.notification.inbox.fallback-delay=0s",
                                "spring.mail.host=127.0.0.1",
                                "spring.mail.port=3025")
                        .map(property -> "--" + property)
                        .toArray(String[]::new));
    }

    // ---- the choice ---------------------------------------------------------------------------------

    @Test
    void theDigestIsChosenWithTheQuietHoursAndAnUnknownChannelOrNoQuietHoursIsAProblem() {
        String user = user(
                "choice@aiw3.test", "{\"start\":\"22:00\",\"end\":\"07:00\",\"timeZone\":\"UTC\",\"digest\":\"push\"}");
        HttpResponse<String> stored = http.sendAs("GET", PATH + "/preferences", user, "", null);
        assertThat(JSON.readTree(stored.body()).get("quietHours").get("digest").stringValue())
                .isEqualTo("push");

        for (String bad : List.of(
                "{\"email\":\"choice@aiw3.test\",\"quietHours\":{\"start\":\"22:00\",\"end\":\"07:00\",\"digest\":\"sms\"}}",
                "{\"email\":\"choice@aiw3.test\",\"quietHours\":{\"digest\":\"email\"}}",
                "{\"email\":\"choice@aiw3.test\",\"quietHours\":{\"start\":\"22:00\",\"end\":\"07:00\",\"digest\":\""
                        + "e".repeat(5000) + "\"}}")) {
            HttpResponse<String> refused = http.sendAs("PUT", PATH + "/preferences", user, "", bad);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }
        HttpResponse<String> after = http.sendAs("GET", PATH + "/preferences", user, "", null);
        assertThat(after.body()).isEqualTo(stored.body());
    }
}
