package com.aiw3.system;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The whole journey, through api-gateway only, with every service in its own process. */
class UpgradeJourneyIntegrationTest {

    private final Platform platform = Platform.get();

    @Test
    void anOnlineUserSeesEveryStepLiveGetsTheNotificationOnTheStreamAndAnalyticsAndAuditRecordIt() throws Exception {
        User alice = Journeys.holder(platform, "alice");
        String email = alice.giveEmailAddress();

        try (EventStream stream = EventStream.open(platform, alice)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !stream.ofType("connection_established").isEmpty());
            JsonNode upgrade = alice.requestUpgrade();
            String id = upgrade.path("upgradeId").asString();
            assertThat(upgrade.path("status").asString()).isEqualTo("awaiting_burn");

            try (EventStream progress = EventStream.upgrade(platform, alice, id)) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !progress.events().isEmpty());
                String signature = alice.signAndSendBurn(upgrade);
                assertThat(alice.confirmBurn(id, signature).status()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(60)).until(progress::ended);

                List<String> statuses = progress.ofType("nft_upgrade_status").stream()
                        .map(e -> e.data().path("status").asString())
                        .toList();
                List<Integer> percent = progress.ofType("nft_upgrade_status").stream()
                        .map(e -> e.data().path("progress").asInt())
                        .toList();
                System.out.printf("[system] upgrade %s live: %s, progress %s%n", id, statuses, percent);
                // The stream starts at the state sse-gateway has seen, which may trail the POST's answer
                // by an event or two; from there every transition arrives, in order, once.
                assertThat(statuses.getFirst()).isIn("initializing", "qualification_verified", "awaiting_burn");
                assertThat(statuses)
                        .containsSubsequence("awaiting_burn", "burn_verified", "minting_new_nft", "completed")
                        .doesNotHaveDuplicates();
                assertThat(statuses.getLast()).isEqualTo("completed");
                assertThat(percent).isSorted();
                assertThat(percent.getLast()).isEqualTo(100);
            }

            // The new NFT's metadata and its image, the tier's artwork, are on IPFS under the CIDs it names.
            String metadataUri = alice.get("/api/v1/nft/upgrade/" + id)
                    .json()
                    .path("metadataUri")
                    .asString();
            HttpResponse<byte[]> metadata = ipfs(metadataUri);
            assertThat(metadata.statusCode()).isEqualTo(200);
            JsonNode nft =
                    tools.jackson.databind.json.JsonMapper.builder().build().readTree(metadata.body());
            String image = nft.path("image").asString();
            assertThat(image).startsWith("ipfs://b");
            assertThat(alice.get("/api/v1/nft/tiers").json())
                    .filteredOn(tier -> tier.path("level").asInt() == 2)
                    .singleElement()
                    .satisfies(
                            tier -> assertThat(tier.path("imageUri").asString()).isEqualTo(image));
            HttpResponse<byte[]> artwork = ipfs(image);
            assertThat(artwork.statusCode()).isEqualTo(200);
            assertThat(artwork.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
            assertThat(new String(artwork.body(), java.nio.charset.StandardCharsets.UTF_8))
                    .startsWith("<svg")
                    .contains("Quant Ape");

            // Online: the notification arrives on the user's stream, and no email is sent.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !stream.ofType("notification").isEmpty());
            assertThat(stream.ofType("nft_upgrade_status"))
                    .extracting(e -> e.data().path("status").asString())
                    .contains("completed");

            User operator = User.operator(platform);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode stats = alice.get("/api/v1/analytics/users/" + alice.id + "/stats")
                        .json();
                assertThat(stats.path("level").asInt()).isEqualTo(2);
                assertThat(stats.path("upgradesCompleted").asInt()).isEqualTo(1);
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<JsonNode> records = Journeys.auditRecords(operator, id);
                assertThat(records)
                        .extracting(r -> r.path("type").asString())
                        .containsSubsequence("UpgradeInitiated", "BurnVerified", "MintStarted", "UpgradeCompleted");
                assertThat(records)
                        .extracting(r -> r.path("eventId").asString())
                        .doesNotHaveDuplicates();
            });
            JsonNode chain = operator.get("/api/v1/audit/verify").json();
            assertThat(chain.path("intact").asBoolean()).as(chain.toString()).isTrue();
            assertThat(recipients()).doesNotContain(email);
        }
    }

    /** An {@code ipfs://<cid>} fetched from the local IPFS stand-in's gateway. */
    private HttpResponse<byte[]> ipfs(String uri) throws Exception {
        assertThat(uri).startsWith("ipfs://");
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                    HttpRequest.newBuilder(
                                    URI.create(platform.ipfsGateway() + "/ipfs/" + uri.substring("ipfs://".length())))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    @Test
    void anOfflineUserIsToldByEmail() throws Exception {
        User bob = Journeys.holder(platform, "bob");
        String email = bob.giveEmailAddress();

        String id = Journeys.upgradeThroughBurn(bob);

        assertThat(Journeys.awaitTerminal(bob, id, Duration.ofSeconds(60))).isEqualTo("completed");
        await().atMost(Duration.ofSeconds(60)).until(() -> recipients().contains(email));
        MimeMessage mail = Arrays.stream(platform.mail().getReceivedMessages())
                .filter(m -> recipientsOf(m).contains(email))
                .findFirst()
                .orElseThrow();
        System.out.printf("[system] offline user %s emailed: \"%s\"%n", bob.id, mail.getSubject());
        assertThat(mail.getSubject()).isNotBlank();
    }

    @Test
    void anOfflineUserWithThePhoneAppIsToldByPush() throws Exception {
        User grace = Journeys.holder(platform, "grace");
        String device = "fcm-" + grace.id;
        assertThat(grace.send("PUT", "/api/v1/notifications/preferences", "{\"pushToken\":\"" + device + "\"}")
                        .status())
                .isEqualTo(200);

        String id = Journeys.upgradeThroughBurn(grace);

        assertThat(Journeys.awaitTerminal(grace, id, Duration.ofSeconds(60))).isEqualTo("completed");
        // The upgrade's own push, once; the first-upgrade badge it earned is pushed on its own (low priority, no
        // email address), at about the same moment, since both wait the same fallback delay.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> platform.google()
                        .verify(
                                1,
                                postRequestedFor(urlPathEqualTo(Platform.FCM_PATH))
                                        .withHeader("Authorization", equalTo("Bearer ya29.systest"))
                                        .withRequestBody(containing("\"token\":\"" + device + "\""))
                                        .withRequestBody(containing(id))));
        System.out.printf("[system] offline user %s pushed to device %s (FCM, once)%n", grace.id, device);
    }

    private List<String> recipients() {
        return Arrays.stream(platform.mail().getReceivedMessages())
                .flatMap(m -> recipientsOf(m).stream())
                .toList();
    }

    private static List<String> recipientsOf(MimeMessage message) {
        try {
            return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                    .map(Object::toString)
                    .toList();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
