package com.aiw3.notification.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.notification.Channel;
import com.aiw3.events.notification.NotificationOutcome;
import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.notification.Priority;
import com.aiw3.events.realtime.EventCategory;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.topic.Topics;
import com.aiw3.notification.Delivered;
import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TestPostgres;
import com.aiw3.testing.TopicContents;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The inbox against the real service: embedded Kafka, real PostgreSQL, GreenMail as SMTP. Notifications
 * arrive as requests on their topic; the feed is read and changed over HTTP as its user; every change
 * reaches the user's stream topic with the counts after it.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1",
            "aiw3.notification.sweep-interval=200ms",
            "aiw3.notification.retry.initial-backoff=50ms",
            "aiw3.notification.inbox.fallback-delay=3s",
            "aiw3.notification.inbox.max-items-per-user=6",
            "spring.mail.host=127.0.0.1",
            "spring.mail.port=3025"
        })
@EmbeddedKafka(partitions = 1)
class InboxIntegrationTest {

    static final String PATH = "/api/v1/notifications";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "notification");
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
    Inbox inbox;

    TestHttp http;

    @BeforeEach
    void client() {
        http = new TestHttp(port);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** A user with contact data; {@code email} may be null (then nothing can be sent to them). */
    private String user(String email, String extraJson) {
        String user = "user-" + UUID.randomUUID();
        String body = "{\"email\":" + (email == null ? "null" : "\"" + email + "\"") + ",\"locale\":\"en\""
                + (extraJson == null ? "" : "," + extraJson) + "}";
        HttpResponse<String> saved = http.sendAs("PUT", PATH + "/preferences", user, "", body);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        return user;
    }

    private NotificationRequested notify(String user, Priority priority, EventCategory category, String title) {
        return notify(user, priority, category, title, Map.of());
    }

    private NotificationRequested notify(
            String user, Priority priority, EventCategory category, String title, Map<String, String> data) {
        NotificationRequested request = new NotificationRequested(
                UUID.randomUUID(), user, priority, category, "default", title, title + " happened.", data);
        EventEnvelope<?> event = EventEnvelope.of(request, "test");
        kafka.send(event.topic().name(), event.key(), event).join();
        return request;
    }

    private JsonNode get(String user, String pathAndQuery) {
        HttpResponse<String> response = http.sendAs("GET", pathAndQuery, user, "", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private List<String> titles(JsonNode feed) {
        List<String> titles = new ArrayList<>();
        feed.get("items").forEach(item -> titles.add(item.get("title").stringValue()));
        return titles;
    }

    private int unread(String user) {
        return get(user, PATH + "/unread-count").get("unread").intValue();
    }

    private HttpResponse<String> patch(String user, UUID id, String json) {
        return http.sendAs("PATCH", PATH + "/" + id, user, "", json);
    }

    private List<UserEvent> streamOf(String user) {
        return TopicContents.events(brokers, Topics.REALTIME_USER_EVENTS.name()).stream()
                .map(EventEnvelope::payload)
                .filter(p -> p instanceof UserEvent e && e.userId().equals(user))
                .map(UserEvent.class::cast)
                .toList();
    }

    private List<NotificationOutcome> outcomes(UUID notificationId) {
        return Delivered.outcomes(brokers, notificationId);
    }

    private List<MimeMessage> mailsTo(String address) {
        return Delivered.mailsTo(smtp, address);
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    private void awaitFeedSize(String user, int size) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(get(user, PATH).get("items")).hasSize(size));
    }

    // ---- the feed -----------------------------------------------------------------------------------

    @Test
    void theFeedPagesNewestFirstAndFiltersByUnreadAndCategory() {
        String user = user(null, null);
        notify(user, Priority.LOW, EventCategory.TRADING, "t1");
        notify(user, Priority.LOW, EventCategory.SOCIAL, "s1");
        notify(user, Priority.LOW, EventCategory.TRADING, "t2");
        notify(user, Priority.LOW, EventCategory.SOCIAL, "s2");
        NotificationRequested newest = notify(user, Priority.LOW, EventCategory.TRADING, "t3");
        awaitFeedSize(user, 5);

        JsonNode first = get(user, PATH + "?limit=2");
        assertThat(titles(first)).containsExactly("t3", "s2");
        JsonNode second =
                get(user, PATH + "?limit=2&cursor=" + first.get("nextCursor").stringValue());
        assertThat(titles(second)).containsExactly("t2", "s1");
        JsonNode third =
                get(user, PATH + "?limit=2&cursor=" + second.get("nextCursor").stringValue());
        assertThat(titles(third)).containsExactly("t1");
        assertThat(third.get("nextCursor").isNull()).isTrue();

        assertThat(titles(get(user, PATH + "?category=social"))).containsExactly("s2", "s1");
        assertThat(get(user, PATH + "/unread-count").toString()).isEqualTo("{\"unread\":5,\"unseen\":5}");

        assertThat(patch(user, newest.notificationId(), "{\"read\":true}").statusCode())
                .isEqualTo(200);
        assertThat(titles(get(user, PATH + "?unread=true"))).containsExactly("s2", "t2", "s1", "t1");
        assertThat(get(user, PATH + "/unread-count").toString()).isEqualTo("{\"unread\":4,\"unseen\":4}");
    }

    @Test
    void seenArchivedAndSnoozedItemsLeaveTheCountsTheyNoLongerBelongTo() {
        String user = user(null, null);
        NotificationRequested seen = notify(user, Priority.LOW, EventCategory.NFT, "seen");
        NotificationRequested archived = notify(user, Priority.LOW, EventCategory.NFT, "archived");
        NotificationRequested snoozed = notify(user, Priority.LOW, EventCategory.NFT, "snoozed");
        awaitFeedSize(user, 3);

        assertThat(patch(user, seen.notificationId(), "{\"seen\":true}").statusCode())
                .isEqualTo(200);
        assertThat(patch(user, archived.notificationId(), "{\"archived\":true}").statusCode())
                .isEqualTo(200);
        String until = Instant.now().plus(Duration.ofHours(1)).toString();
        HttpResponse<String> snooze = patch(user, snoozed.notificationId(), "{\"snoozedUntil\":\"" + until + "\"}");
        assertThat(snooze.statusCode()).as(snooze.body()).isEqualTo(200);
        assertThat(JSON.readTree(snooze.body()).get("snoozedUntil").stringValue())
                .isNotNull();

        assertThat(get(user, PATH + "/unread-count").toString()).isEqualTo("{\"unread\":1,\"unseen\":0}");
        assertThat(titles(get(user, PATH))).containsExactly("seen");
        assertThat(titles(get(user, PATH + "?archived=true"))).containsExactly("archived");

        // Waking the snoozed item brings it back, unread.
        assertThat(patch(user, snoozed.notificationId(), "{\"snoozedUntil\":null}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(titles(get(user, PATH))).containsExactly("snoozed", "seen");
        assertThat(unread(user)).isEqualTo(2);
    }

    @Test
    void markAllReadClearsTheBadgeOrOnlyOneCategory() {
        String user = user(null, null);
        notify(user, Priority.LOW, EventCategory.TRADING, "t");
        notify(user, Priority.LOW, EventCategory.SOCIAL, "s1");
        notify(user, Priority.LOW, EventCategory.SOCIAL, "s2");
        awaitFeedSize(user, 3);

        HttpResponse<String> social =
                http.sendAs("POST", PATH + "/mark-all-read", user, "", "{\"category\":\"social\"}");
        assertThat(social.statusCode()).as(social.body()).isEqualTo(200);
        assertThat(social.body()).isEqualTo("{\"markedRead\":2,\"unread\":1,\"unseen\":1}");

        HttpResponse<String> all = http.sendAs("POST", PATH + "/mark-all-read", user, "", null);
        assertThat(all.body()).isEqualTo("{\"markedRead\":1,\"unread\":0,\"unseen\":0}");
        assertThat(get(user, PATH + "?unread=true").get("items")).isEmpty();
    }

    @Test
    void aUserCanNeitherReadNorChangeAnotherUsersItems() {
        String alice = user(null, null);
        String bob = user(null, null);
        NotificationRequested hers = notify(alice, Priority.LOW, EventCategory.TRADING, "alice's");
        awaitFeedSize(alice, 1);

        assertThat(get(bob, PATH).get("items")).isEmpty();
        assertProblem(patch(bob, hers.notificationId(), "{\"read\":true}"), 404);
        assertProblem(patch(bob, hers.notificationId(), "{\"archived\":true}"), 404);
        http.sendAs("POST", PATH + "/mark-all-read", bob, "", null);

        assertThat(unread(alice)).isEqualTo(1);
        JsonNode item = get(alice, PATH).get("items").get(0);
        assertThat(item.get("readAt").isNull()).isTrue();
        assertThat(item.get("archivedAt").isNull()).isTrue();
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        String user = user(null, null);
        NotificationRequested n = notify(user, Priority.LOW, EventCategory.TRADING, "kept");
        awaitFeedSize(user, 1);
        UUID id = n.notificationId();

        assertProblem(patch(user, id, "{\"read\":\"yes\"}"), 400);
        assertProblem(patch(user, id, "{\"read\":true,\"owner\":\"someone-else\"}"), 400);
        assertProblem(patch(user, id, "{}"), 400);
        assertProblem(patch(user, id, "[true]"), 400);
        assertProblem(patch(user, id, "{\"read\":true,"), 400);
        assertProblem(patch(user, id, "{\"seen\":false,\"read\":true}"), 400);
        assertProblem(patch(user, id, "{\"read\":true,\"snoozedUntil\":\"2020-01-01T00:00:00Z\"}"), 400);
        assertProblem(patch(user, id, "{\"read\":true,\"snoozedUntil\":\"" + "9".repeat(10_000) + "\"}"), 400);
        assertProblem(
                patch(
                        user,
                        id,
                        "{\"read\":true,\"snoozedUntil\":\"" + Instant.now().plus(Duration.ofDays(400)) + "\"}"),
                400);
        assertProblem(http.sendAs("PATCH", PATH + "/not-a-uuid", user, "", "{\"read\":true}"), 400);
        assertProblem(http.sendAs("GET", PATH + "?cursor=" + "A".repeat(5000), user, "", null), 400);
        assertProblem(http.sendAs("GET", PATH + "?cursor=bm90LWEtY3Vyc29y", user, "", null), 400);
        assertProblem(http.sendAs("GET", PATH + "?limit=0", user, "", null), 400);
        assertProblem(http.sendAs("GET", PATH + "?limit=101", user, "", null), 400);
        assertProblem(http.sendAs("GET", PATH + "?limit=99999999999", user, "", null), 400);
        assertProblem(http.sendAs("GET", PATH + "?unread=maybe", user, "", null), 400);
        assertProblem(http.sendAs("GET", PATH + "?category=weather", user, "", null), 400);
        assertProblem(
                http.sendAs("POST", PATH + "/mark-all-read", user, "", "{\"category\":\"" + "x".repeat(5000) + "\"}"),
                400);
        assertProblem(http.getAnonymously(PATH), 401);

        assertThat(get(user, PATH + "/unread-count").toString()).isEqualTo("{\"unread\":1,\"unseen\":1}");
        assertThat(streamOf(user))
                .noneMatch(e -> e instanceof UserEvent.InboxItemUpdated || e instanceof UserEvent.InboxAllRead);
    }

    @Test
    void theOpenApiDocumentDescribesTheInbox() {
        JsonNode paths =
                JSON.readTree(http.getAnonymously("/v3/api-docs").body()).get("paths");
        assertThat(paths.get(PATH).has("get")).isTrue();
        assertThat(paths.get(PATH + "/unread-count").has("get")).isTrue();
        assertThat(paths.get(PATH + "/{id}").has("patch")).isTrue();
        assertThat(paths.get(PATH + "/mark-all-read").has("post")).isTrue();
    }

    // ---- live on the stream --------------------------------------------------------------------------

    @Test
    void everyChangeReachesTheUsersStreamWithTheCountsAfterIt() {
        String user = user(null, null);
        NotificationRequested first = notify(user, Priority.LOW, EventCategory.TRADING, "first");
        NotificationRequested second = notify(user, Priority.LOW, EventCategory.SOCIAL, "second");
        awaitFeedSize(user, 2);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(streamOf(user).stream()
                                .filter(e -> e instanceof UserEvent.InboxItemAdded)
                                .map(UserEvent.InboxItemAdded.class::cast)
                                .map(a -> a.notificationId() + ":" + a.unreadCount()))
                        .containsExactly(first.notificationId() + ":1", second.notificationId() + ":2"));

        patch(user, first.notificationId(), "{\"read\":true}");
        http.sendAs("POST", PATH + "/mark-all-read", user, "", null);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<UserEvent> changes = streamOf(user).stream()
                    .filter(e -> !(e instanceof UserEvent.InboxItemAdded))
                    .toList();
            assertThat(changes).hasSize(2);
            assertThat(changes.get(0))
                    .isEqualTo(new UserEvent.InboxItemUpdated(
                            user, "Notification read", first.notificationId(), true, true, false, null, 1, 1));
            assertThat(changes.get(1))
                    .isEqualTo(new UserEvent.InboxAllRead(user, "1 notification marked read", null, 1, 0, 0));
        });
    }

    // ---- read beats fallback ------------------------------------------------------------------------

    @Test
    void aNotificationReadInTheAppBeforeItsFallbackDelayIsNotEmailed() {
        String user = user("read-first@aiw3.test", null);
        NotificationRequested n = notify(user, Priority.LOW, EventCategory.TRADING, "read first");
        awaitFeedSize(user, 1);
        assertThat(patch(user, n.notificationId(), "{\"read\":true}").statusCode())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(outcomes(n.notificationId()))
                        .containsExactly(new NotificationOutcome.NotificationSuppressed(
                                n.notificationId(), user, Channel.EMAIL, "read in app")));
        assertThat(mailsTo("read-first@aiw3.test")).isEmpty();
        assertThat(jdbc.sql("select count(*) from deliveries where notification_id = :id")
                        .param("id", n.notificationId())
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void aNotificationStillUnreadWhenItsFallbackDelayEndsIsEmailedOnceAndALaterReadSendsNothingMore() {
        String user = user("fallback-first@aiw3.test", null);
        NotificationRequested n = notify(user, Priority.LOW, EventCategory.TRADING, "fallback first");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> mailsTo("fallback-first@aiw3.test").size() == 1);
        // Push is not configured here: its suppression is the other outcome.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(outcomes(n.notificationId()))
                        .filteredOn(o -> o instanceof NotificationOutcome.NotificationDelivered)
                        .singleElement()
                        .isInstanceOfSatisfying(
                                NotificationOutcome.NotificationDelivered.class,
                                d -> assertThat(d.channel()).isEqualTo(Channel.EMAIL)));
        List<NotificationOutcome> before = outcomes(n.notificationId());

        assertThat(patch(user, n.notificationId(), "{\"read\":true}").statusCode())
                .isEqualTo(200);
        assertThat(unread(user)).isZero();
        assertThat(mailsTo("fallback-first@aiw3.test")).hasSize(1);
        assertThat(outcomes(n.notificationId())).isEqualTo(before);
    }

    @Test
    void aHighPriorityNotificationIsNotHeldWhileALowOneIs() {
        String user = user("urgent@aiw3.test", null);
        NotificationRequested low = notify(user, Priority.LOW, EventCategory.TRADING, "can wait");
        NotificationRequested high = notify(user, Priority.HIGH, EventCategory.SYSTEM, "urgent");

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(outcomes(high.notificationId()))
                        .anySatisfy(o -> assertThat(o).isInstanceOf(NotificationOutcome.NotificationDelivered.class)));
        assertThat(status(low.notificationId())).isEqualTo("held");
        assertThat(mailsTo("urgent@aiw3.test"))
                .singleElement()
                .satisfies(m -> assertThat(m.getSubject()).isEqualTo("urgent"));
    }

    @Test
    void aNotificationSuppressedByQuietHoursStaysUnreadInTheInbox() {
        String user = user(
                "quiet@aiw3.test", "\"quietHours\":{\"start\":\"00:00\",\"end\":\"23:59:59\",\"timeZone\":\"UTC\"}");
        NotificationRequested n = notify(user, Priority.MEDIUM, EventCategory.SOCIAL, "while asleep");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(outcomes(n.notificationId()))
                        .singleElement()
                        .isInstanceOfSatisfying(
                                NotificationOutcome.NotificationSuppressed.class,
                                s -> assertThat(s.reason()).isEqualTo("quiet hours")));
        JsonNode item = get(user, PATH).get("items").get(0);
        assertThat(item.get("title").stringValue()).isEqualTo("while asleep");
        assertThat(item.get("readAt").isNull()).isTrue();
        assertThat(item.get("delivery").stringValue()).isEqualTo("suppressed");
        assertThat(unread(user)).isEqualTo(1);
        assertThat(mailsTo("quiet@aiw3.test")).isEmpty();
    }

    // ---- grouping and retention ---------------------------------------------------------------------

    @Test
    void repeatedNotificationsOfOneGroupCollapseIntoOneItemThatCountsThem() {
        String user = user(null, null);
        Map<String, String> trades = Map.of(Inbox.GROUP_KEY, "trades");
        notify(user, Priority.LOW, EventCategory.TRADING, "trade 1", trades);
        notify(user, Priority.LOW, EventCategory.TRADING, "trade 2", trades);
        NotificationRequested last = notify(user, Priority.LOW, EventCategory.TRADING, "trade 3", trades);
        notify(user, Priority.LOW, EventCategory.SOCIAL, "other");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(titles(get(user, PATH))).containsExactly("other", "trade 3"));

        JsonNode group = get(user, PATH).get("items").get(1);
        assertThat(group.get("groupCount").intValue()).isEqualTo(3);
        assertThat(unread(user)).isEqualTo(2);

        patch(user, last.notificationId(), "{\"read\":true}");
        assertThat(jdbc.sql("select count(*) from notifications where user_id = :u and group_key = 'trades'"
                                + " and read_at is null")
                        .param("u", user)
                        .query(Integer.class)
                        .single())
                .as("the notifications the item stood for are read with it")
                .isZero();

        // A new one of the group after the read starts a new unread item.
        notify(user, Priority.LOW, EventCategory.TRADING, "trade 4", trades);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(titles(get(user, PATH))).containsExactly("trade 4", "other", "trade 3"));
    }

    @Test
    void aUserKeepsOnlyTheNewestNotificationsUpToTheCap() {
        String user = user(null, null);
        List<UUID> ids = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            // High priority is not held: each one's delivery is over (nothing to send it by) before the next.
            ids.add(notify(user, Priority.HIGH, EventCategory.SYSTEM, "n" + i).notificationId());
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(titles(get(user, PATH))).startsWith("n8"));
        assertThat(titles(get(user, PATH))).containsExactly("n8", "n7", "n6", "n5", "n4", "n3");
        assertThat(jdbc.sql("select count(*) from notifications where user_id = :u")
                        .param("u", user)
                        .query(Integer.class)
                        .single())
                .isEqualTo(6);
    }

    @Test
    void readAndArchivedItemsExpireAfterTheRetentionAndUnreadOnesStay() {
        String user = user(null, null);
        NotificationRequested read = notify(user, Priority.HIGH, EventCategory.SYSTEM, "read long ago");
        NotificationRequested archived = notify(user, Priority.HIGH, EventCategory.SYSTEM, "archived long ago");
        NotificationRequested unread = notify(user, Priority.HIGH, EventCategory.SYSTEM, "never read");
        awaitFeedSize(user, 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> "suppressed".equals(status(unread.notificationId())));
        jdbc.sql("update notifications set read_at = now() - interval '91 days' where id = :id")
                .param("id", read.notificationId())
                .update();
        jdbc.sql("update notifications set archived_at = now() - interval '91 days' where id = :id")
                .param("id", archived.notificationId())
                .update();

        assertThat(inbox.expire(100)).isGreaterThanOrEqualTo(2);
        assertThat(titles(get(user, PATH))).containsExactly("never read");
        assertThat(get(user, PATH + "?archived=true").get("items")).isEmpty();
    }

    private String status(UUID id) {
        return jdbc.sql("select status from notifications where id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }
}
