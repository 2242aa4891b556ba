package com.aiw3.notification;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TestPostgres;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The preferences API against the real service: field limits, the body limit, the write limit, and phone
 * verification by a one-time code sent through Twilio (WireMock).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1",
            "aiw3.notification.sms.enabled=true",
            "aiw3.notification.sms.account-sid=AC0123456789abcdef0123456789abcdef",
            "aiw3.notification.sms.auth-token=twilio-test-token",
            "aiw3.notification.sms.from=+15005550006"
        })
@EmbeddedKafka(partitions = 1)
class PreferencesIntegrationTest {

    static final String PATH = "/api/v1/notifications/preferences";
    static final String TWILIO_PATH = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
    static final WireMockServer TWILIO = new WireMockServer(options().dynamicPort());
    private static final Pattern CODE = Pattern.compile("verification code is (\\d{6})");

    static {
        TWILIO.start();
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "notification");
        registry.add("aiw3.notification.sms.api-base", TWILIO::baseUrl);
    }

    @AfterAll
    static void stop() {
        TWILIO.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestHttp http;

    @BeforeEach
    void twilioUp() {
        http = new TestHttp(port);
        TWILIO.resetAll();
        TWILIO.stubFor(post(urlEqualTo(TWILIO_PATH))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\"}")));
    }

    /** The codes Twilio was asked to send to {@code phone}, oldest first. */
    static List<String> codesSentTo(WireMockServer twilio, String phone) {
        List<String> codes = new ArrayList<>();
        for (LoggedRequest r : twilio.findAll(postRequestedFor(urlEqualTo(TWILIO_PATH)))) {
            String form = URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8);
            Matcher m = CODE.matcher(form);
            if (form.contains("To=" + phone) && m.find()) {
                codes.add(m.group(1));
            }
        }
        return codes;
    }

    static String codeSentTo(WireMockServer twilio, String phone) {
        List<String> codes = codesSentTo(twilio, phone);
        assertThat(codes).as("codes sent to " + phone).isNotEmpty();
        return codes.getLast();
    }

    private HttpResponse<String> put(String user, String json) {
        return http.sendAs("PUT", PATH, user, "", json);
    }

    private HttpResponse<String> verify(String user, String code) {
        return http.sendAs("POST", PATH + "/phone/verify", user, "", "{\"code\":\"" + code + "\"}");
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    private static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    // ---- limits ----------------------------------------------------------------------------------------

    @Test
    void aHostileEmailOfHalfAMegabyteIsRefusedAtOnceAsAProblem() {
        String user = newUser();
        String hostile = "a@" + ".".repeat(500_000) + "@";
        HttpResponse<String> response =
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> put(user, "{\"email\":\"" + hostile + "\"}"));
        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(http.sendAs("GET", PATH, user, "", null).statusCode()).isEqualTo(404);
    }

    @Test
    void overLongFieldsAre400ProblemsAndNothingIsStored() {
        String user = newUser();
        String longEmail = "a".repeat(64) + "@" + "b".repeat(186) + ".com"; // 255 characters, well formed
        List<String> bodies = List.of(
                "{\"email\":\"" + longEmail + "\"}",
                "{\"phone\":\"+1415555010012345\"}",
                "{\"pushToken\":\"" + "t".repeat(4097) + "\"}",
                "{\"locale\":\"" + "e".repeat(36) + "\"}",
                "{\"quietHours\":{\"start\":\"22:00\",\"end\":\"07:00\",\"timeZone\":\"" + "Z".repeat(65) + "\"}}");
        for (String body : bodies) {
            HttpResponse<String> response = put(user, body);
            assertProblem(response, 400);
            assertThat(response.body()).contains("longer than");
        }
        assertThat(http.sendAs("GET", PATH, user, "", null).statusCode()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from preference_write_buckets where user_id = :u")
                        .param("u", user)
                        .query(Long.class)
                        .single())
                .as("a refused write takes nothing from the write allowance")
                .isZero();
    }

    @Test
    void tooManyPreferenceWritesAre429ProblemsWithRetryAfter() {
        String user = newUser();
        HttpResponse<String> refused = null;
        int accepted = 0;
        for (int i = 0; i < 20 && refused == null; i++) {
            HttpResponse<String> response = put(user, "{\"email\":\"w" + i + "@aiw3.test\"}");
            if (response.statusCode() == 429) {
                refused = response;
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
                accepted++;
            }
        }
        assertThat(refused).as("a write was refused").isNotNull();
        assertProblem(refused, 429);
        assertThat(refused.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 12L));
        assertThat(accepted).isBetween(5, 6);
        assertThat(http.sendAs("GET", PATH, user, "", null).body())
                .as("the refused write stored nothing")
                .contains("w" + (accepted - 1) + "@aiw3.test");
    }

    // ---- phone verification -----------------------------------------------------------------------------

    @Test
    void aNewPhoneGetsOneCodeAndIsVerifiedByIt() {
        String user = newUser();
        HttpResponse<String> saved = put(user, "{\"phone\":\"+14155550200\"}");
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(saved.body()).contains("\"phoneVerified\":false");
        assertThat(codesSentTo(TWILIO, "+14155550200")).hasSize(1);
        String stored = jdbc.sql("select encode(code_hash, 'hex') from phone_codes where user_id = :u")
                .param("u", user)
                .query(String.class)
                .single();
        assertThat(stored).as("only a hash is stored").doesNotContain(codeSentTo(TWILIO, "+14155550200"));

        // The same number again sends no second code while the first is pending.
        assertThat(put(user, "{\"phone\":\"+14155550200\",\"locale\":\"de\"}").statusCode())
                .isEqualTo(200);
        assertThat(codesSentTo(TWILIO, "+14155550200")).hasSize(1);

        HttpResponse<String> verified = verify(user, codeSentTo(TWILIO, "+14155550200"));
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(verified.body()).contains("\"phoneVerified\":true");

        // A changed number starts unverified again.
        assertThat(put(user, "{\"phone\":\"+14155550201\"}").body()).contains("\"phoneVerified\":false");
        assertThat(codesSentTo(TWILIO, "+14155550201")).isEmpty(); // within a minute of the last code
    }

    @Test
    void wrongCodesCountAndTheFifthSpendsTheCode() {
        String user = newUser();
        put(user, "{\"phone\":\"+14155550202\"}");
        String code = codeSentTo(TWILIO, "+14155550202");
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int left = 4; left >= 1; left--) {
            HttpResponse<String> response = verify(user, wrong);
            assertProblem(response, 400);
            assertThat(response.body()).contains(left + " attempts left");
        }
        HttpResponse<String> fifth = verify(user, wrong);
        assertProblem(fifth, 400);
        assertThat(fifth.body()).contains("no attempts are left");
        assertProblem(verify(user, code), 409);
        assertThat(http.sendAs("GET", PATH, user, "", null).body()).contains("\"phoneVerified\":false");
        assertProblem(verify(user, "12ab"), 400);
    }

    @Test
    void anExpiredCodeIsRefused() {
        String user = newUser();
        put(user, "{\"phone\":\"+14155550203\"}");
        jdbc.sql("update phone_codes set expires_at = now() - interval '1 second' where user_id = :u")
                .param("u", user)
                .update();
        HttpResponse<String> response = verify(user, codeSentTo(TWILIO, "+14155550203"));
        assertProblem(response, 400);
        assertThat(response.body()).contains("expired");
        assertThat(http.sendAs("GET", PATH, user, "", null).body()).contains("\"phoneVerified\":false");
    }

    @Test
    void codesAreLimitedToOneAMinuteAndFiveADay() {
        String user = newUser();
        put(user, "{\"phone\":\"+14155550204\"}");
        HttpResponse<String> tooSoon = http.sendAs("POST", PATH + "/phone/code", user, "", null);
        assertProblem(tooSoon, 429);
        assertThat(tooSoon.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        for (int sent = 2; sent <= 5; sent++) {
            ageCodes(user);
            assertThat(http.sendAs("POST", PATH + "/phone/code", user, "", null).statusCode())
                    .isEqualTo(202);
        }
        ageCodes(user);
        HttpResponse<String> daily = http.sendAs("POST", PATH + "/phone/code", user, "", null);
        assertProblem(daily, 429);
        assertThat(daily.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isGreaterThan(60L));
        assertThat(codesSentTo(TWILIO, "+14155550204")).hasSize(5);
        TWILIO.verify(5, postRequestedFor(urlEqualTo(TWILIO_PATH)));
    }

    /** Moves the user's codes two minutes into the past, as if the resend interval had passed. */
    private void ageCodes(String user) {
        jdbc.sql("update phone_codes set sent_at = sent_at - interval '2 minutes' where user_id = :u")
                .param("u", user)
                .update();
    }
}
