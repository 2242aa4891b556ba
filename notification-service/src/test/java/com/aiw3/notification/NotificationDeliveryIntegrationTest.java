package com.aiw3.notification;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.events.EventPayload;
import com.aiw3.events.notification.Channel;
import com.aiw3.events.notification.NotificationOutcome;
import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.notification.Priority;
import com.aiw3.events.presence.DeliveryEvent;
import com.aiw3.events.presence.PresenceEvent;
import com.aiw3.events.realtime.EventCategory;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.testing.FakeGoogleServiceAccount;
import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TestPostgres;
import com.aiw3.testing.TopicContents;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The golden rule end to end: embedded Kafka, real PostgreSQL, WireMock as Twilio, FCM and Google's
 * OAuth token endpoint (requests asserted in their wire formats), GreenMail as SMTP.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1",
            "aiw3.notification.realtime-confirm-window=1s",
            // The golden rule without the inbox's hold: an offline user's notification is sent at once.
            "aiw3.notification.inbox.fallback-delay=0s",
            "aiw3.notification.sweep-interval=200ms",
            "aiw3.notification.retry.initial-backoff=50ms",
            "aiw3.notification.support.emails=oncall@aiw3.test",
            "spring.mail.host=127.0.0.1",
            "spring.mail.port=3025",
            "aiw3.notification.sms.enabled=true",
            "aiw3.notification.sms.account-sid=AC0123456789abcdef0123456789abcdef",
            "aiw3.notification.sms.auth-token=twilio-test-token",
            "aiw3.notification.sms.from=+15005550006",
            "aiw3.notification.push.enabled=true",
            "aiw3.notification.push.project-id=aiw3-test"
        })
@EmbeddedKafka(partitions = 1)
class NotificationDeliveryIntegrationTest {

    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String TWILIO_PATH = "/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json";
    static final String FCM_PATH = "/v1/projects/aiw3-test/messages:send";
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final WireMockServer TWILIO = new WireMockServer(options().dynamicPort());
    static final WireMockServer GOOGLE = new WireMockServer(options().dynamicPort());

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

    static {
        TWILIO.start();
        GOOGLE.start();
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
        TestPostgres.register(registry, "notification");
        registry.add("aiw3.notification.sms.api-base", TWILIO::baseUrl);
        registry.add("aiw3.notification.push.api-base", GOOGLE::baseUrl);
        registry.add(
                "aiw3.notification.push.credentials-file",
                () -> FakeGoogleServiceAccount.write(GOOGLE.baseUrl() + "/token", "aiw3-test"));
    }

    @AfterAll
    static void stop() {
        TWILIO.stop();
        GOOGLE.stop();
    }

    @LocalServerPort
    int port;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    KafkaTemplate<String, EventEnvelope<?>> kafka;

    @Autowired
    MeterRegistry meters;

    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("rawEventKafkaTemplate")
    KafkaTemplate<String, byte[]> raw;

    TestHttp http;

    @BeforeEach
    void providersUp() {
        http = new TestHttp(port);
        TWILIO.resetAll();
        GOOGLE.resetAll();
        TWILIO.stubFor(post(urlEqualTo(TWILIO_PATH)).willReturn(twilioCreated()));
        GOOGLE.stubFor(post(urlPathEqualTo("/token"))
                .willReturn(
                        json("{\"access_token\":\"ya29.test-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        GOOGLE.stubFor(post(urlEqualTo(FCM_PATH))
                .willReturn(json("{\"name\":\"projects/aiw3-test/messages/0:1700000000000000%31\"}")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder twilioCreated() {
        return aResponse()
                .withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"sid":"SM0123456789abcdef0123456789abcdef","account_sid":"%s","to":"+14155550100",
                         "from":"+15005550006","body":"x","status":"queued","num_segments":"1",
                         "date_created":"Mon, 23 Nov 2026 12:00:00 +0000","api_version":"2010-04-01",
                         "uri":"/2010-04-01/Accounts/%s/Messages/SM0123456789abcdef0123456789abcdef.json"}""".formatted(ACCOUNT, ACCOUNT));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** A user whose phone, if any, is verified with the code Twilio was asked to send. */
    private String user(String email, String phone, String push, String extraJson) {
        String user = userWithUnverifiedPhone(email, phone, push, extraJson);
        if (phone != null) {
            String code = PreferencesIntegrationTest.codeSentTo(TWILIO, phone);
            HttpResponse<String> verified = http.sendAs(
                    "POST", "/api/v1/notifications/preferences/phone/verify", user, "", "{\"code\":\"" + code + "\"}");
            assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
            TWILIO.resetRequests();
        }
        return user;
    }

    private String userWithUnverifiedPhone(String email, String phone, String push, String extraJson) {
        String user = "user-" + UUID.randomUUID();
        String body = """
                {"email":%s,"phone":%s,"pushToken":%s,"locale":"en"%s}""".formatted(q(email), q(phone), q(push), extraJson == null ? "" : "," + extraJson);
        HttpResponse<String> saved = http.sendAs("PUT", "/api/v1/notifications/preferences", user, "", body);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        return user;
    }

    private static String q(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    private NotificationRequested request(String user, Priority priority) {
        return new NotificationRequested(
                UUID.randomUUID(),
                user,
                priority,
                EventCategory.TRADING,
                "price_alert",
                "BTC crossed 100k",
                "Your price alert on BTC/USDT triggered at 100,012.",
                Map.of("pair", "BTC/USDT"));
    }

    private void publish(EventPayload payload) {
        EventEnvelope<?> event = EventEnvelope.of(payload, "test");
        kafka.send(event.topic().name(), event.key(), event).join();
    }

    private List<EventEnvelope<EventPayload>> read(String topic) {
        return TopicContents.events(brokers, topic);
    }

    private List<NotificationOutcome> outcomes(UUID notificationId) {
        return Delivered.outcomes(brokers, notificationId);
    }

    private List<MimeMessage> mailsTo(String address) {
        return Delivered.mailsTo(smtp, address);
    }

    // ---- offline: a third party by priority ---------------------------------------------------------

    @Test
    void anOfflineUsersHighPriorityNotificationIsOneSmsInTwiliosWireFormat() {
        String user = user("a@aiw3.test", "+14155550100", "fcm-token-a", null);
        NotificationRequested request = request(user, Priority.HIGH);
        publish(request);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !outcomes(request.notificationId()).isEmpty());
        TWILIO.verify(
                1,
                postRequestedFor(urlEqualTo(TWILIO_PATH))
                        .withHeader(
                                "Authorization",
                                equalTo("Basic "
                                        + Base64.getEncoder()
                                                .encodeToString((ACCOUNT + ":twilio-test-token").getBytes())))
                        .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                        .withRequestBody(containing("To=%2B14155550100"))
                        .withRequestBody(containing("From=%2B15005550006"))
                        .withRequestBody(containing("Body=BTC+crossed+100k")));
        assertThat(outcomes(request.notificationId()))
                .singleElement()
                .isEqualTo(new NotificationOutcome.NotificationDelivered(
                        request.notificationId(), user, Channel.SMS, "SM0123456789abcdef0123456789abcdef"));
        GOOGLE.verify(0, postRequestedFor(urlEqualTo(FCM_PATH)));
        assertThat(mailsTo("a@aiw3.test")).isEmpty();
    }

    @Test
    void anUnverifiedPhoneReceivesNoNotificationSms() {
        String user = userWithUnverifiedPhone("u@aiw3.test", "+14155550113", "fcm-token-u", null);
        TWILIO.resetRequests();
        NotificationRequested request = request(user, Priority.HIGH);
        publish(request);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> outcomes(request.notificationId()).size() == 2);
        assertThat(outcomes(request.notificationId()).get(0))
                .isEqualTo(new NotificationOutcome.NotificationSuppressed(
                        request.notificationId(), user, Channel.SMS, "phone not verified"));
        assertThat(outcomes(request.notificationId()).get(1))
                .isInstanceOfSatisfying(
                        NotificationOutcome.NotificationDelivered.class,
                        d -> assertThat(d.channel()).isEqualTo(Channel.PUSH));
        TWILIO.verify(0, postRequestedFor(urlEqualTo(TWILIO_PATH)));
    }

    @Test
    void anOfflineUsersMediumPriorityNotificationIsOneFcmV1PushWithAnOAuthToken() {
        String user = user("b@aiw3.test", "+14155550101", "fcm-token-b", null);
        NotificationRequested request = request(user, Priority.MEDIUM);
        publish(request);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !outcomes(request.notificationId()).isEmpty());
        GOOGLE.verify(
                1,
                postRequestedFor(urlEqualTo(FCM_PATH))
                        .withHeader("Authorization", equalTo("Bearer ya29.test-token"))
                        .withRequestBody(equalToJson("""
                        {"message":{"token":"fcm-token-b",
                          "notification":{"title":"BTC crossed 100k",
                                          "body":"Your price alert on BTC/USDT triggered at 100,012."},
                          "data":{"pair":"BTC/USDT"}}}""", true, true)));
        assertThat(outcomes(request.notificationId()))
                .singleElement()
                .isInstanceOfSatisfying(
                        NotificationOutcome.NotificationDelivered.class,
                        d -> assertThat(d.channel()).isEqualTo(Channel.PUSH));
        TWILIO.verify(0, postRequestedFor(urlEqualTo(TWILIO_PATH)));
    }

    @Test
    void anOfflineUsersLowPriorityNotificationIsOneEmailWithHtmlAndText() throws Exception {
        String user = user("c@aiw3.test", "+14155550102", "fcm-token-c", null);
        NotificationRequested request = request(user, Priority.LOW);
        publish(request);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> mailsTo("c@aiw3.test").size() == 1);
        MimeMessage mail = mailsTo("c@aiw3.test").getFirst();
        assertThat(mail.getSubject()).isEqualTo("BTC crossed 100k");
        String raw = GreenMailUtil.getWholeMessage(mail);
        assertThat(raw).contains("multipart/alternative").contains("text/plain").contains("text/html");
        assertThat(raw).contains("Your price alert on BTC/USDT triggered at 100,012.");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !outcomes(request.notificationId()).isEmpty());
        assertThat(outcomes(request.notificationId()).getFirst())
                .isInstanceOfSatisfying(
                        NotificationOutcome.NotificationDelivered.class,
                        d -> assertThat(d.channel()).isEqualTo(Channel.EMAIL));
    }

    @Test
    void theEmailsLatencyIsMeasuredFromTheCommitOfTheEventItComesFrom() {
        String user = user("latency@aiw3.test", null, null, null);
        NotificationRequested request = request(user, Priority.LOW);
        Timer email = meters.get("aiw3.notification.publish.to.send")
                .tag("channel", "email")
                .timer();
        long before = email.count();
        double secondsBefore = email.totalTime(TimeUnit.SECONDS);
        // The event was committed at its source 30 s before it reaches the service (a consumer lag).
        EventEnvelope<NotificationRequested> event = new EventEnvelope<>(
                EventIds.next(),
                com.aiw3.events.catalog.EventCatalog.typeOf(NotificationRequested.class)
                        .name(),
                1,
                Instant.now().minusSeconds(30),
                request.partitionKey(),
                EventIds.next(),
                null,
                "test",
                request);
        kafka.send(event.topic().name(), event.key(), event).join();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> mailsTo("latency@aiw3.test").size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> email.count() == before + 1);
        assertThat(email.totalTime(TimeUnit.SECONDS) - secondsBefore).isBetween(30.0, 60.0);
        assertThat(meters.find("aiw3.notification.provider.failures")
                        .tag("channel", "email")
                        .counter())
                .as("registered at start, not at the first failure")
                .isNotNull();
    }

    // ---- online: the stream, and the race ------------------------------------------------------------

    @Test
    void anOnlineUserGetsTheStreamAndNoThirdPartyOnceTheGatewayConfirms() {
        String user = user("d@aiw3.test", "+14155550103", "fcm-token-d", null);
        publish(new PresenceEvent.UserCameOnline(user, "sse-1", 1, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> online(user));
        NotificationRequested request = request(user, Priority.HIGH);
        publish(request);

        EventEnvelope<EventPayload> issued = await().atMost(Duration.ofSeconds(10))
                .until(() -> inApp(request.notificationId()), java.util.Objects::nonNull);
        publish(new DeliveryEvent.RealtimeEventDelivered(user, issued.eventId(), "sse-1", 1));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(outcomes(request.notificationId()))
                        .singleElement()
                        .isInstanceOfSatisfying(
                                NotificationOutcome.NotificationDelivered.class,
                                d -> assertThat(d.channel()).isEqualTo(Channel.REALTIME)));
        // Past the window: still nothing through a third party.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
        TWILIO.verify(0, postRequestedFor(urlEqualTo(TWILIO_PATH)));
        assertThat(outcomes(request.notificationId())).hasSize(1);
    }

    @Test
    void anOnlineUserWhoseStreamNeverConfirmsGetsTheThirdPartyAfterTheWindow() {
        String user = user("e@aiw3.test", "+14155550104", "fcm-token-e", null);
        publish(new PresenceEvent.UserCameOnline(user, "sse-2", 1, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> online(user));
        NotificationRequested request = request(user, Priority.LOW);
        publish(request);

        await().atMost(Duration.ofSeconds(10)).until(() -> inApp(request.notificationId()) != null);
        // The user closed the app before the event reached the stream: no confirmation ever comes.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> mailsTo("e@aiw3.test").size() == 1);
        // The outcome is published after the send: it may reach the topic a moment after the mail.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(outcomes(request.notificationId()))
                        .singleElement()
                        .isInstanceOfSatisfying(
                                NotificationOutcome.NotificationDelivered.class,
                                d -> assertThat(d.channel()).isEqualTo(Channel.EMAIL)));
    }

    @Test
    void aUserWhoWentOfflineIsReachedByAThirdParty() {
        String user = user("f@aiw3.test", "+14155550105", "fcm-token-f", null);
        publish(new PresenceEvent.UserCameOnline(user, "sse-3", 1, Instant.now().minusSeconds(5)));
        publish(new PresenceEvent.UserWentOffline(user, "sse-3", Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> !online(user) && presenceRows(user) == 1);
        NotificationRequested request = request(user, Priority.MEDIUM);
        publish(request);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> GOOGLE.verify(1, postRequestedFor(urlEqualTo(FCM_PATH))));
        assertThat(inApp(request.notificationId())).isNull();
    }

    @Test
    void aBadgeEarnedOfflineIsEmailedAndOnlineItIsTheStreamedEventItself() {
        String offline = user("badge-off@aiw3.test", null, null, null);
        publish(new UserEvent.BadgeEarned(offline, "You traded 100 times", "b-100", "Centurion"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> mailsTo("badge-off@aiw3.test").size() == 1);

        String online = user("badge-on@aiw3.test", null, null, null);
        publish(new PresenceEvent.UserCameOnline(online, "sse-9", 1, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> online(online));
        EventEnvelope<?> badge = EventEnvelope.of(
                new UserEvent.BadgeEarned(online, "You traded 100 times", "b-100", "Centurion"), "test");
        // sse-gateway may confirm the badge before this service has read it: the confirmation is kept.
        publish(new DeliveryEvent.RealtimeEventDelivered(online, badge.eventId(), "sse-9", 1));
        kafka.send(badge.topic().name(), badge.key(), badge).join();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(read(Topics.NOTIFICATION_OUTCOMES.name()).stream()
                                .map(EventEnvelope::payload)
                                .filter(p -> p instanceof NotificationOutcome.NotificationDelivered d
                                        && d.userId().equals(online)))
                        .singleElement()
                        .isInstanceOfSatisfying(
                                NotificationOutcome.NotificationDelivered.class,
                                d -> assertThat(d.channel()).isEqualTo(Channel.REALTIME)));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(mailsTo("badge-on@aiw3.test")).isEmpty();
        assertThat(read(Topics.REALTIME_USER_EVENTS.name()).stream()
                        .map(EventEnvelope::payload)
                        .filter(p -> p instanceof UserEvent.InAppNotificationIssued i
                                && i.userId().equals(online)))
                .as("no second event on the stream")
                .isEmpty();
    }

    // ---- failures, redelivery, preferences -----------------------------------------------------------

    @Test
    void twilioDownThenBackDeliversOnceAfterARetry() {
        String user = user("g@aiw3.test", "+14155550106", null, null);
        TWILIO.resetAll();
        TWILIO.stubFor(post(urlEqualTo(TWILIO_PATH))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":20503,\"message\":\"Service unavailable\",\"status\":503}"))
                .willSetStateTo("back"));
        TWILIO.stubFor(post(urlEqualTo(TWILIO_PATH))
                .inScenario("flaky")
                .whenScenarioStateIs("back")
                .willReturn(twilioCreated()));
        NotificationRequested request = request(user, Priority.HIGH);
        publish(request);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> outcomes(request.notificationId()).stream()
                        .anyMatch(o -> o instanceof NotificationOutcome.NotificationDelivered));
        TWILIO.verify(2, postRequestedFor(urlEqualTo(TWILIO_PATH)));
        assertThat(outcomes(request.notificationId()))
                .filteredOn(o -> !(o instanceof NotificationOutcome.NotificationSuppressed))
                .singleElement()
                .isInstanceOfSatisfying(
                        NotificationOutcome.NotificationDelivered.class,
                        d -> assertThat(d.channel()).isEqualTo(Channel.SMS));
    }

    @Test
    void anSmsProviderThatStaysDownIsTriedMaxAttemptsTimesThenPushDelivers() {
        String user = user("g2@aiw3.test", "+14155550113", "fcm-token-g2", null);
        TWILIO.resetAll();
        TWILIO.stubFor(post(urlEqualTo(TWILIO_PATH))
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":20503,\"message\":\"Service unavailable\",\"status\":503}")));
        NotificationRequested request = request(user, Priority.HIGH);
        publish(request);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> outcomes(request.notificationId()).stream()
                        .anyMatch(o -> o instanceof NotificationOutcome.NotificationDelivered));
        // aiw3.notification.retry.max-attempts: 3 (the default), every one of them a retryable 503, and each one
        // request: neither Twilio's SDK nor its HTTP client retries under the dispatcher's retry.
        assertThat(jdbc.sql("select attempts from deliveries where notification_id = :id and channel = 'sms'")
                        .param("id", request.notificationId())
                        .query(Integer.class)
                        .single())
                .isEqualTo(3);
        assertThat(TWILIO.findAll(postRequestedFor(urlEqualTo(TWILIO_PATH)))).hasSize(3);
        List<NotificationOutcome> outcomes = outcomes(request.notificationId()).stream()
                .filter(o -> !(o instanceof NotificationOutcome.NotificationSuppressed))
                .toList();
        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0)).isInstanceOfSatisfying(NotificationOutcome.NotificationFailed.class, f -> {
            assertThat(f.channel()).isEqualTo(Channel.SMS);
            assertThat(f.finalFailure()).isFalse();
            assertThat(f.reason()).contains("503");
        });
        assertThat(outcomes.get(1))
                .isInstanceOfSatisfying(
                        NotificationOutcome.NotificationDelivered.class,
                        d -> assertThat(d.channel()).isEqualTo(Channel.PUSH));
    }

    @Test
    void aRefusedSmsMovesOnToPush() {
        String user = user("h@aiw3.test", "+14155550107", "fcm-token-h", null);
        TWILIO.resetAll();
        TWILIO.stubFor(post(urlEqualTo(TWILIO_PATH))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":21211,\"message\":\"Invalid 'To' Phone Number\",\"status\":400}")));
        NotificationRequested request = request(user, Priority.HIGH);
        publish(request);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> outcomes(request.notificationId()).size() == 2);
        List<NotificationOutcome> outcomes = outcomes(request.notificationId());
        assertThat(outcomes.get(0)).isInstanceOfSatisfying(NotificationOutcome.NotificationFailed.class, f -> {
            assertThat(f.channel()).isEqualTo(Channel.SMS);
            assertThat(f.finalFailure()).isFalse();
        });
        assertThat(outcomes.get(1))
                .isInstanceOfSatisfying(
                        NotificationOutcome.NotificationDelivered.class,
                        d -> assertThat(d.channel()).isEqualTo(Channel.PUSH));
        TWILIO.verify(1, postRequestedFor(urlEqualTo(TWILIO_PATH)));
    }

    @Test
    void aNotificationNoChannelCanDeliverIsDeadLetteredNotDropped() {
        String user = user(null, "+14155550112", null, null);
        TWILIO.resetAll();
        TWILIO.stubFor(
                post(urlEqualTo(TWILIO_PATH))
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"code\":21610,\"message\":\"Attempt to send to unsubscribed recipient\",\"status\":400}")));
        NotificationRequested request = request(user, Priority.HIGH);
        publish(request);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(deadLetters()).anySatisfy(r -> {
                    assertThat(new String(r.value(), StandardCharsets.UTF_8))
                            .contains(request.notificationId().toString());
                    assertThat(header(r, "kafka_dlt-exception-message")).contains("every channel failed");
                }));
        assertThat(outcomes(request.notificationId()))
                .filteredOn(o -> o instanceof NotificationOutcome.NotificationFailed)
                .singleElement()
                .isInstanceOfSatisfying(NotificationOutcome.NotificationFailed.class, f -> {
                    assertThat(f.channel()).isEqualTo(Channel.SMS);
                    assertThat(f.finalFailure()).as("no channel is left").isTrue();
                    assertThat(f.reason()).contains("400").contains("unsubscribed");
                });
    }

    @Test
    void aRedeliveredRequestIsSentOnce() {
        String user = user("i@aiw3.test", null, null, null);
        NotificationRequested request = request(user, Priority.LOW);
        publish(request);
        publish(request);
        publish(request);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> mailsTo("i@aiw3.test").size() >= 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(mailsTo("i@aiw3.test")).hasSize(1);
        assertThat(outcomes(request.notificationId()))
                .filteredOn(o -> o instanceof NotificationOutcome.NotificationDelivered)
                .hasSize(1);
    }

    @Test
    void optOutsAndQuietHoursAreHonoured() {
        String smsOptedOut = user(
                "j@aiw3.test",
                "+14155550108",
                "fcm-token-j",
                "\"optOut\":{\"email\":false,\"sms\":true,\"push\":false}");
        NotificationRequested high = request(smsOptedOut, Priority.HIGH);
        publish(high);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> outcomes(high.notificationId()).size() == 2);
        assertThat(outcomes(high.notificationId()).get(0))
                .isEqualTo(new NotificationOutcome.NotificationSuppressed(
                        high.notificationId(), smsOptedOut, Channel.SMS, "opted out"));
        assertThat(outcomes(high.notificationId()).get(1))
                .isInstanceOfSatisfying(
                        NotificationOutcome.NotificationDelivered.class,
                        d -> assertThat(d.channel()).isEqualTo(Channel.PUSH));
        TWILIO.verify(0, postRequestedFor(urlEqualTo(TWILIO_PATH)));

        // Quiet hours around "now" in UTC: low priority is held back, high priority still goes out.
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        String quiet = user(
                "k@aiw3.test",
                "+14155550109",
                null,
                "\"quietHours\":{\"start\":\"%s\",\"end\":\"%s\",\"timeZone\":\"UTC\"}"
                        .formatted(
                                now.minusHours(1).withNano(0).withSecond(0),
                                now.plusHours(1).withNano(0).withSecond(0)));
        NotificationRequested low = request(quiet, Priority.LOW);
        publish(low);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !outcomes(low.notificationId()).isEmpty());
        assertThat(outcomes(low.notificationId()).getFirst())
                .isInstanceOfSatisfying(
                        NotificationOutcome.NotificationSuppressed.class,
                        s -> assertThat(s.reason()).isEqualTo("quiet hours"));
        NotificationRequested urgent = request(quiet, Priority.HIGH);
        publish(urgent);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> TWILIO.verify(1, postRequestedFor(urlEqualTo(TWILIO_PATH))));
        assertThat(mailsTo("k@aiw3.test")).isEmpty();
    }

    @Test
    void requestsThatCannotBeServedAreDeadLetteredWithTheReason() {
        NotificationRequested unknown = request("nobody-" + UUID.randomUUID(), Priority.LOW);
        publish(unknown);
        raw.send(Topics.NOTIFICATION_REQUESTS.name(), "someone", "{not an envelope".getBytes(StandardCharsets.UTF_8))
                .join();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> dead = deadLetters();
            assertThat(dead).anySatisfy(r -> {
                assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .contains(unknown.notificationId().toString());
                assertThat(header(r, "kafka_dlt-exception-message")).contains("unknown user");
            });
            assertThat(dead)
                    .anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                            .isEqualTo("{not an envelope"));
        });
    }

    @Test
    void aCriticalMintFailureNotifiesTheUserAndAlertsSupport() {
        String user = user("l@aiw3.test", "+14155550110", null, null);
        UUID upgrade = UUID.randomUUID();
        publish(new UpgradeEvent.MintFailedCritical(upgrade, user, UUID.randomUUID(), "5burn", "RPC timeout"));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> mailsTo("oncall@aiw3.test").size() == 1);
        assertThat(GreenMailUtil.getWholeMessage(mailsTo("oncall@aiw3.test").getFirst()))
                .contains("mint_failed_critical")
                .contains(upgrade.toString())
                .contains("retry-mint");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> TWILIO.verify(
                        1,
                        postRequestedFor(urlEqualTo(TWILIO_PATH))
                                .withRequestBody(containing("Your+new+NFT+is+delayed"))));
    }

    @Test
    void aClaimedNftIsPushedToTheOfflineUserLikeACompletedUpgrade() {
        String user = user("m@aiw3.test", "+14155550111", "fcm-token-m", null);
        publish(new ClaimEvent.NftClaimed(
                UUID.randomUUID(),
                user,
                "wallet-m",
                new UpgradeEvent.MintedNft("mint-m", 1, "Tech Chicken", 1, "ipfs://m", "sig-m")));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> GOOGLE.verify(
                        1,
                        postRequestedFor(urlEqualTo(FCM_PATH))
                                .withRequestBody(containing("fcm-token-m"))
                                .withRequestBody(containing("Your Tech Chicken NFT is in your wallet"))));
        TWILIO.verify(0, postRequestedFor(urlEqualTo(TWILIO_PATH)).withRequestBody(containing("14155550111")));
    }

    // ---- the preferences API --------------------------------------------------------------------------

    @Test
    void usersReadAndChangeOnlyTheirOwnPreferencesAndBadInputIsAProblem() {
        String user =
                user("m@aiw3.test", "+14155550111", null, "\"optOut\":{\"email\":true,\"sms\":false,\"push\":false}");
        JsonNode mine = JSON.readTree(http.sendAs("GET", "/api/v1/notifications/preferences", user, "", null)
                .body());
        assertThat(mine.get("email").asString()).isEqualTo("m@aiw3.test");
        assertThat(mine.get("optOut").get("email").asBoolean()).isTrue();
        assertThat(http.sendAs("GET", "/api/v1/notifications/preferences", "stranger-" + UUID.randomUUID(), "", null)
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<String> badPhone =
                http.sendAs("PUT", "/api/v1/notifications/preferences", user, "", "{\"phone\":\"0800 123\"}");
        assertThat(badPhone.statusCode()).isEqualTo(400);
        assertThat(badPhone.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(http.sendAs(
                                "PUT",
                                "/api/v1/notifications/preferences",
                                user,
                                "",
                                "{\"quietHours\":{\"start\":\"22:00\",\"end\":\"07:00\",\"timeZone\":\"Mars/Olympus\"}}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(http.getAnonymously("/api/v1/notifications/preferences").statusCode())
                .isEqualTo(401);
    }

    // ---- observation helpers ---------------------------------------------------------------------------

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private boolean online(String user) {
        return jdbc.sql("select exists (select 1 from presence where user_id = :u and online)")
                .param("u", user)
                .query(Boolean.class)
                .single();
    }

    private long presenceRows(String user) {
        return jdbc.sql("select count(*) from presence where user_id = :u")
                .param("u", user)
                .query(Long.class)
                .single();
    }

    private EventEnvelope<EventPayload> inApp(UUID notificationId) {
        return read(Topics.REALTIME_USER_EVENTS.name()).stream()
                .filter(e -> e.payload() instanceof UserEvent.InAppNotificationIssued issued
                        && notificationId.equals(issued.notificationId()))
                .findFirst()
                .orElse(null);
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters() {
        return TopicContents.records(brokers, Topics.NOTIFICATION_REQUESTS.deadLetterName()).stream()
                .filter(r -> r.value() != null)
                .toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
