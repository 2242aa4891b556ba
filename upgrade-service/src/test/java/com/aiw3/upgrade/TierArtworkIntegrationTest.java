package com.aiw3.upgrade;

import static com.aiw3.upgrade.support.UpgradeTestSupport.confirmBurn;
import static com.aiw3.upgrade.support.UpgradeTestSupport.get;
import static com.aiw3.upgrade.support.UpgradeTestSupport.json;
import static com.aiw3.upgrade.support.UpgradeTestSupport.signAndLand;
import static com.aiw3.upgrade.support.UpgradeTestSupport.start;
import static com.aiw3.upgrade.support.UpgradeTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TestPostgres;
import com.aiw3.upgrade.metadata.Cid;
import com.aiw3.upgrade.support.Holders;
import com.aiw3.upgrade.support.Holders.Holder;
import com.aiw3.upgrade.support.KuboStub;
import com.aiw3.upgrade.support.SolanaRpcStub;
import com.aiw3.upgrade.support.UpgradeTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * Every tier's artwork is pinned on IPFS under the CID of its own bytes before any NFT names it as its
 * image; while it is not, upgrades to the tier wait instead of minting with another image.
 */
@EmbeddedKafka(partitions = 1)
class TierArtworkIntegrationTest {

    static final SolanaRpcStub RPC = new SolanaRpcStub();
    static final KuboStub KUBO = new KuboStub();
    static final String SVG = "image/svg+xml";

    @AfterAll
    static void stopStubs() {
        RPC.close();
        KUBO.close();
    }

    @BeforeEach
    void resetStubs() {
        RPC.reset();
        KUBO.reset();
    }

    private static ConfigurableApplicationContext instance(TestPostgres.Database db, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "server.port=0",
                "spring.kafka.bootstrap-servers="
                        + EmbeddedKafkaCondition.getBroker().getBrokersAsString(),
                "aiw3.messaging.topics.max-partitions=1",
                "spring.datasource.url=" + db.jdbcUrl(),
                "spring.datasource.username=" + db.username(),
                "spring.datasource.password=" + db.password(),
                "spring.flyway.schemas=" + db.schema(),
                "spring.flyway.default-schema=" + db.schema(),
                "aiw3.upgrade.sweep-interval=200ms",
                "aiw3.upgrade.lease=3s",
                "aiw3.upgrade.metadata-retry.max-attempts=2",
                "aiw3.upgrade.metadata-retry.initial-backoff=20ms",
                "aiw3.upgrade.mint-retry.initial-backoff=20ms",
                "aiw3.upgrade.solana.confirm-poll-interval=20ms",
                "aiw3.upgrade.solana.confirm-timeout=1s",
                "aiw3.upgrade.solana.burn-lookup-wait=200ms",
                "aiw3.upgrade.solana.rpc-url=" + RPC.url(),
                "aiw3.upgrade.solana.system-wallet-key=" + UpgradeTestSupport.SYSTEM_WALLET_KEY,
                "aiw3.upgrade.solana.metadata-update-authority=" + UpgradeTestSupport.UPDATE_AUTHORITY,
                "aiw3.upgrade.ipfs.api-url=" + KUBO.url(),
                "aiw3.upgrade.ipfs.artwork-retry-interval=200ms"));
        args.addAll(List.of(more));
        // Command-line arguments: they outrank application.yml, as the deployment's environment does.
        return new SpringApplicationBuilder(UpgradeServiceApplication.class)
                .run(args.stream().map(property -> "--" + property).toArray(String[]::new));
    }

    private static TestHttp http(ConfigurableApplicationContext context) {
        return new TestHttp(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static double unpinned(ConfigurableApplicationContext context) {
        return context.getBean(MeterRegistry.class)
                .get("aiw3.upgrade.artwork.unpinned")
                .gauge()
                .value();
    }

    /** The artwork the service ships, by tier level. */
    private static Map<Integer, byte[]> shippedArtwork() throws IOException {
        Map<Integer, byte[]> files = new LinkedHashMap<>();
        for (int level = 1; level <= 5; level++) {
            try (InputStream in =
                    TierArtworkIntegrationTest.class.getResourceAsStream("/artwork/tier-" + level + ".svg")) {
                assertThat(in).as("artwork of tier " + level).isNotNull();
                files.put(level, in.readAllBytes());
            }
        }
        return files;
    }

    /** Tier level to its imageUri as GET /api/v1/nft/tiers answers it ("null" when absent). */
    private static Map<Integer, String> imageUris(TestHttp http) {
        Map<Integer, String> uris = new LinkedHashMap<>();
        for (JsonNode tier : json(http.getAnonymously("/api/v1/nft/tiers"))) {
            JsonNode uri = tier.get("imageUri");
            uris.put(tier.get("level").asInt(), uri == null || uri.isNull() ? "null" : uri.asString());
        }
        return uris;
    }

    private static String burnVerified(TestHttp http, Holder holder) {
        JsonNode started = json(start(http, holder.userId(), 2));
        assertThat(started.get("status").asString()).as(started.toString()).isEqualTo("awaiting_burn");
        String id = started.get("upgradeId").asString();
        String signature =
                signAndLand(RPC, holder, started.get("burnTransaction").asString());
        HttpResponse<String> confirmed = confirmBurn(http, holder.userId(), id, signature);
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(202);
        return id;
    }

    @Test
    void everyTiersArtworkIsPinnedAtStartUpUnderTheCidOfItsOwnBytes() throws Exception {
        Map<Integer, byte[]> artwork = shippedArtwork();
        assertThat(artwork.values().stream().map(Cid::rawV1).distinct())
                .as("five distinct pieces of artwork")
                .hasSize(5);
        try (ConfigurableApplicationContext service = instance(TestPostgres.freshSchema("upgrade_artwork"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> unpinned(service) == 0.0);

            assertThat(KUBO.uploads(SVG))
                    .extracting(Cid::rawV1)
                    .containsExactlyInAnyOrderElementsOf(
                            artwork.values().stream().map(Cid::rawV1).toList());
            assertThat(KUBO.queries())
                    .allSatisfy(
                            query -> assertThat(query).contains("cid-version=1").contains("pin=true"));
            Map<Integer, String> expected = new LinkedHashMap<>();
            artwork.forEach((level, bytes) -> expected.put(level, "ipfs://" + Cid.rawV1(bytes)));
            assertThat(imageUris(http(service))).isEqualTo(expected);
            assertThat(service.getBean(JdbcClient.class)
                            .sql("select 'ipfs://' || cid from tier_artwork order by tier_id")
                            .query(String.class)
                            .list())
                    .containsExactlyElementsOf(expected.values());
        }
    }

    @Test
    void anIpfsEndpointAnsweringAnotherCidThanTheArtworksIsNotTakenAsAPin() {
        KUBO.answerAnotherCid();
        try (ConfigurableApplicationContext service = instance(TestPostgres.freshSchema("upgrade_artwork"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> KUBO.uploads(SVG).size() >= 10);

            assertThat(unpinned(service)).isEqualTo(5.0);
            assertThat(imageUris(http(service)).values()).containsOnly("null");
            assertThat(service.getBean(JdbcClient.class)
                            .sql("select count(*) from tier_artwork")
                            .query(Long.class)
                            .single())
                    .isZero();
        }
    }

    @Test
    void whileIpfsIsDownAnUpgradeWaitsBeforeItsMetadataAndCompletesWithTheArtworkOnceItIsPinned() throws Exception {
        KUBO.fail();
        try (ConfigurableApplicationContext service = instance(TestPostgres.freshSchema("upgrade_artwork"))) {
            TestHttp http = http(service);
            Holder holder = new Holders(service.getBean(JdbcClient.class)).qualifiedForTier2();
            await().atMost(Duration.ofSeconds(20)).until(() -> KUBO.uploads(SVG).size() >= 10);
            assertThat(unpinned(service)).as("every tier waits for its artwork").isEqualTo(5.0);

            String id = burnVerified(http, holder);
            // Several sweeps and artwork retries later, the upgrade still waits: no attempt spent, no
            // failure, no compensation, no metadata, no mint.
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> status(http, holder.userId(), id), "uploading_metadata"::equals);
            assertThat(KUBO.uploads("application/json")).isEmpty();
            assertThat(RPC.sent()).isEmpty();
            assertThat(service.getBean(JdbcClient.class)
                            .sql("select count(*) from compensation_requests")
                            .query(Long.class)
                            .single())
                    .isZero();

            KUBO.reset();
            await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "completed"::equals);
            // The upgrade needs its own tier's artwork only; the other tiers are pinned by the same retries,
            // which may still be under way when it completes.
            await().atMost(Duration.ofSeconds(20)).until(() -> unpinned(service) == 0.0);
            assertThat(RPC.sent()).hasSize(1);
            JsonNode metadata = UpgradeTestSupport.JSON.readTree(
                    KUBO.uploads("application/json").getFirst());
            assertThat(metadata.get("image").asString())
                    .isEqualTo("ipfs://" + Cid.rawV1(shippedArtwork().get(2)));
        }
    }

    @Test
    void theMetadataOfAMintedNftNamesItsTiersArtworkAsPinned() throws Exception {
        try (ConfigurableApplicationContext service = instance(TestPostgres.freshSchema("upgrade_artwork"))) {
            TestHttp http = http(service);
            await().atMost(Duration.ofSeconds(20)).until(() -> unpinned(service) == 0.0);
            Holder holder = new Holders(service.getBean(JdbcClient.class)).qualifiedForTier2();
            String id = burnVerified(http, holder);
            await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "completed"::equals);

            byte[] tier2 = shippedArtwork().get(2);
            String image = "ipfs://" + Cid.rawV1(tier2);
            assertThat(KUBO.uploads(SVG))
                    .anySatisfy(uploaded -> assertThat(uploaded).isEqualTo(tier2));
            String metadataUri = json(get(http, holder.userId(), "/api/v1/nft/upgrade/" + id))
                    .get("metadataUri")
                    .asString();
            byte[] uploaded = KUBO.uploads("application/json").stream()
                    .filter(bytes -> metadataUri.equals("ipfs://" + Cid.rawV1(bytes)))
                    .findFirst()
                    .orElseThrow();
            JsonNode metadata = UpgradeTestSupport.JSON.readTree(uploaded);
            assertThat(metadata.get("image").asString()).isEqualTo(image);
            assertThat(metadata.get("properties").get("files").get(0).get("uri").asString())
                    .isEqualTo(image);
            assertThat(metadata.get("properties")
                            .get("files")
                            .get(0)
                            .get("type")
                            .asString())
                    .isEqualTo(SVG);
            assertThat(imageUris(http).get(2)).isEqualTo(image);
        }
    }

    @Test
    void everyIpfsRequestCarriesTheConfiguredAuthorization() {
        try (ConfigurableApplicationContext service = instance(
                TestPostgres.freshSchema("upgrade_artwork"),
                "aiw3.upgrade.ipfs.authorization=Bearer pinning-service-token")) {
            TestHttp http = http(service);
            await().atMost(Duration.ofSeconds(20)).until(() -> unpinned(service) == 0.0);
            Holder holder = new Holders(service.getBean(JdbcClient.class)).qualifiedForTier2();
            String id = burnVerified(http, holder);
            await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "completed"::equals);

            assertThat(KUBO.uploads(SVG)).hasSize(5);
            assertThat(KUBO.uploads("application/json")).hasSize(1);
            assertThat(KUBO.authorizations()).hasSize(6).containsOnly("Bearer pinning-service-token");
        }
    }

    @Test
    void aRecordedCidCountsOnlyWhileItIsTheCidOfTheArtworkTheServiceShips() {
        TestPostgres.Database db = TestPostgres.freshSchema("upgrade_artwork");
        try (ConfigurableApplicationContext first = instance(db)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> unpinned(first) == 0.0);
            // As if tier 2's artwork changed since it was pinned: the recorded CID is another file's.
            first.getBean(JdbcClient.class)
                    .sql("update tier_artwork set cid = :cid where tier_id = 2")
                    .param("cid", Cid.rawV1("earlier artwork".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .update();
        }
        KUBO.fail();
        try (ConfigurableApplicationContext second = instance(db)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> KUBO.uploads(SVG).size() >= 5);
            assertThat(unpinned(second)).as("only tier 2 waits").isEqualTo(1.0);
            Map<Integer, String> uris = imageUris(http(second));
            assertThat(uris.get(2)).isEqualTo("null");
            assertThat(Stream.of(1, 3, 4, 5).map(uris::get))
                    .allSatisfy(uri -> assertThat(uri).startsWith("ipfs://b"));

            KUBO.reset();
            await().atMost(Duration.ofSeconds(20)).until(() -> unpinned(second) == 0.0);
            assertThat(imageUris(http(second)).get(2)).startsWith("ipfs://b");
        }
    }
}
