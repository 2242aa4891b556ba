package com.aiw3.upgrade;

import static com.aiw3.upgrade.support.UpgradeTestSupport.claim;
import static com.aiw3.upgrade.support.UpgradeTestSupport.claimEvents;
import static com.aiw3.upgrade.support.UpgradeTestSupport.confirmBurn;
import static com.aiw3.upgrade.support.UpgradeTestSupport.get;
import static com.aiw3.upgrade.support.UpgradeTestSupport.json;
import static com.aiw3.upgrade.support.UpgradeTestSupport.lastClaimEvent;
import static com.aiw3.upgrade.support.UpgradeTestSupport.start;
import static com.aiw3.upgrade.support.UpgradeTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.ClaimStatus;
import com.aiw3.upgrade.metadata.Cid;
import com.aiw3.upgrade.support.Holders;
import com.aiw3.upgrade.support.Holders.Claimant;
import com.aiw3.upgrade.support.SolanaRpcStub;
import com.aiw3.upgrade.support.WireTransaction;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.p2p.solanaj.programs.MemoProgram;
import tools.jackson.databind.JsonNode;

/**
 * The first-NFT claim against real PostgreSQL, an embedded broker and the Solana and Kubo stubs (ADR 0027,
 * ADR 0030): once per user and once per wallet, the unqualified answer, the idempotency key, the mint to the
 * signed-in wallet, and an upgrade from the claimed NFT.
 */
@StubbedChainService
class ClaimIntegrationTest extends StubbedChainTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ALREADY_CLAIMED = "https://aiw3.example/problems/already-claimed";

    private static byte[] artwork(String file) throws IOException {
        try (var in = ClaimIntegrationTest.class.getResourceAsStream("/artwork/" + file)) {
            return in.readAllBytes();
        }
    }

    private JsonNode claimed(Claimant c, String... headers) {
        HttpResponse<String> response = claim(http, c.userId(), c.walletAddress(), headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response);
    }

    private String completed(Claimant c) {
        String id = claimed(c).get("claimId").asString();
        await().atMost(WAIT).until(() -> claimStatus(c, id), "completed"::equals);
        return id;
    }

    private String claimStatus(Claimant c, String id) {
        return json(get(http, c.userId(), "/api/v1/nft/claims/" + id))
                .get("status")
                .asString();
    }

    private long claimsOf(String user) {
        return jdbc.sql("select count(*) from nft_claims where user_id = :u")
                .param("u", user)
                .query(Long.class)
                .single();
    }

    @Test
    void aQualifiedUserGetsTheLevelOneNftMintedToTheirWalletWithEveryStepPublished() throws IOException {
        Claimant c = holders.claimant(25_000);

        HttpResponse<String> response = claim(http, c.userId(), c.walletAddress());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = json(response);
        String id = body.get("claimId").asString();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/nft/claims/" + id);
        assertThat(response.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        assertThat(body.get("status").asString()).isEqualTo("qualification_verified");
        assertThat(body.get("level").asInt()).isEqualTo(1);
        assertThat(body.get("eventsUrl").asString()).isEqualTo("/api/v1/nft/claims/" + id + "/events");
        assertThat(body.get("requirements").toString())
                .contains("\"code\":\"TRADING_VOLUME_USD\"", "\"required\":10000", "\"actual\":25000");

        await().atMost(WAIT).until(() -> claimStatus(c, id), "completed"::equals);
        JsonNode done = json(get(http, c.userId(), "/api/v1/nft/claims/" + id));
        String mintAddress = done.get("mintAddress").asString();

        // One mint, by the system wallet, at the derived address, to the signed-in wallet, bound to the claim.
        List<WireTransaction> sent = RPC.sent();
        assertThat(sent).hasSize(1);
        WireTransaction mint = sent.getFirst();
        assertThat(mint.fullySigned()).isTrue();
        assertThat(mint.accountKeys().get(1)).isEqualTo(mintAddress);
        assertThat(mint.accountKeys())
                .contains(c.walletAddress(), Holders.associatedTokenAccount(c.walletAddress(), mintAddress));
        assertThat(done.get("mintSignature").asString()).isEqualTo(mint.signature());
        String memo = mint.instructions().stream()
                .filter(ix -> mint.program(ix).equals(MemoProgram.PROGRAM_ID.toBase58()))
                .map(ix -> new String(ix.data(), StandardCharsets.UTF_8))
                .findFirst()
                .orElseThrow();
        assertThat(memo)
                .startsWith("aiw3-claim " + id)
                .contains(done.get("metadataUri").asString());
        assertThat(KUBO.uploads("application/json")).isNotEmpty();

        // The NFT is the user's active holding, and the first-claim badge is earned.
        assertThat(jdbc.sql("select tier_id from user_nfts where user_id = :u and status = 'active' and claim_id = :c")
                        .param("u", c.userId())
                        .param("c", UUID.fromString(id))
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("select code from badges where user_id = :u")
                        .param("u", c.userId())
                        .query(String.class)
                        .list())
                .containsExactly("first-nft");

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(claimEvents(brokers, UUID.fromString(id)))
                        .extracting(ClaimEvent::status)
                        .containsExactly(
                                ClaimStatus.INITIALIZING,
                                ClaimStatus.QUALIFICATION_VERIFIED,
                                ClaimStatus.UPLOADING_METADATA,
                                ClaimStatus.METADATA_UPLOADED,
                                ClaimStatus.MINTING_NFT,
                                ClaimStatus.MINT_CONFIRMED,
                                ClaimStatus.COMPLETED));
        ClaimEvent.NftClaimed nftClaimed = lastClaimEvent(brokers, UUID.fromString(id), ClaimEvent.NftClaimed.class);
        assertThat(nftClaimed.nft().mintAddress()).isEqualTo(mintAddress);
        assertThat(nftClaimed.nft().level()).isEqualTo(1);
        assertThat(nftClaimed.nft().transactionSignature()).isEqualTo(mint.signature());
        assertThat(nftClaimed.walletAddress()).isEqualTo(c.walletAddress());
        // What a UI shows without another call, as for an upgrade: the tier's benefits and the artwork through
        // the configured HTTP gateway.
        assertThat(nftClaimed.nft().benefits())
                .containsExactlyInAnyOrderEntriesOf(Map.of("tradingFeeDiscount", "0%", "aiAgentUses", "1"));
        assertThat(nftClaimed.nft().imageUrl())
                .isEqualTo("https://gateway.test/ipfs/" + Cid.rawV1(artwork("tier-1.svg")));
    }

    @Test
    void theOpenApiDocumentDescribesTheClaimApi() {
        JsonNode paths = json(http.getAnonymously("/v3/api-docs")).get("paths");
        assertThat(paths.has("/api/v1/nft/claim")).isTrue();
        assertThat(paths.has("/api/v1/nft/claims/{id}")).isTrue();
        assertThat(paths.has("/api/v1/nft/admin/claims/{id}/retry-mint")).isTrue();
    }

    @Test
    void theSameIdempotencyKeyTwiceIsOneClaimAnsweredAgain() {
        Claimant c = holders.claimant(25_000);
        String key = "claim-" + UUID.randomUUID();

        JsonNode first = claimed(c, "Idempotency-Key", key);
        HttpResponse<String> again = claim(http, c.userId(), c.walletAddress(), "Idempotency-Key", key);

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(again).get("claimId").asString())
                .isEqualTo(first.get("claimId").asString());
        assertThat(claimsOf(c.userId())).isEqualTo(1);
        await().atMost(WAIT).until(() -> claimStatus(c, first.get("claimId").asString()), "completed"::equals);
        assertThat(RPC.sent()).hasSize(1);
    }

    @Test
    void aSecondClaimByTheSameUserIsRefusedAndChangesNothing() {
        Claimant c = holders.claimant(25_000);
        String id = completed(c);
        await().atMost(WAIT)
                .until(() -> claimEvents(brokers, UUID.fromString(id)).size() == 7);

        HttpResponse<String> second = claim(http, c.userId(), c.walletAddress(), "Idempotency-Key", "another");

        assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
        assertThat(second.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = json(second);
        assertThat(problem.get("type").asString()).isEqualTo(ALREADY_CLAIMED);
        assertThat(problem.get("claimId").asString()).isEqualTo(id);
        assertThat(claimsOf(c.userId())).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from claim_idempotency_keys where user_id = :u")
                        .param("u", c.userId())
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(claimEvents(brokers, UUID.fromString(id))).hasSize(7);
        assertThat(RPC.sent()).hasSize(1);
    }

    @Test
    void aClaimForAWalletThatReceivedAClaimedNftIsRefusedForAnotherUser() {
        Claimant c = holders.claimant(25_000);
        completed(c);
        Claimant other = holders.claimant(25_000);

        HttpResponse<String> refused = claim(http, other.userId(), c.walletAddress());

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        JsonNode problem = json(refused);
        assertThat(problem.get("type").asString()).isEqualTo(ALREADY_CLAIMED);
        assertThat(problem.get("detail").asString()).contains(c.walletAddress());
        assertThat(problem.has("claimId"))
                .as("another user's claim is not named")
                .isFalse();
        assertThat(claimsOf(other.userId())).isZero();
        assertThat(RPC.sent()).hasSize(1);
    }

    @Test
    void anUnqualifiedClaimIsAnsweredWithEveryRequirementAndDoesNotCount() {
        Claimant c = holders.claimant(4_000);

        HttpResponse<String> response = claim(http, c.userId(), c.walletAddress());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = json(response);
        assertThat(body.get("status").asString()).isEqualTo("qualification_failed");
        assertThat(body.get("requirements").toString())
                .contains(
                        "\"code\":\"TRADING_VOLUME_USD\",\"description\":\"Trading volume in USD\",\"required\":10000,\"actual\":4000");
        String id = body.get("claimId").asString();
        assertThat(claimEvents(brokers, UUID.fromString(id)))
                .extracting(ClaimEvent::status)
                .containsExactly(ClaimStatus.INITIALIZING, ClaimStatus.QUALIFICATION_FAILED);
        assertThat(RPC.sent()).isEmpty();
        assertThat(KUBO.uploads("application/json")).isEmpty();
        assertThat(jdbc.sql("select count(*) from user_nfts where user_id = :u")
                        .param("u", c.userId())
                        .query(Long.class)
                        .single())
                .isZero();

        // It held neither the user's nor the wallet's one claim: once qualified, the claim goes ahead.
        jdbc.sql("update user_trading_volume set volume_usd = 10000 where user_id = :u")
                .param("u", c.userId())
                .update();
        JsonNode again = claimed(c);
        assertThat(again.get("status").asString()).isEqualTo("qualification_verified");
        await().atMost(WAIT).until(() -> claimStatus(c, again.get("claimId").asString()), "completed"::equals);
    }

    @Test
    void aCallerWithoutAWalletOrWithoutASolanaAddressCannotClaimAndNothingIsWritten() {
        Claimant c = holders.claimant(25_000);

        HttpResponse<String> refused = http.sendAs("POST", "/api/v1/nft/claim", c.userId(), "", "{}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(json(refused).get("type").asString()).isEqualTo("https://aiw3.example/problems/no-wallet");
        HttpResponse<String> notAnAddress = claim(http, c.userId(), "not-a-solana-address");
        assertThat(notAnAddress.statusCode()).as(notAnAddress.body()).isEqualTo(422);
        assertThat(claimsOf(c.userId())).isZero();
    }

    @Test
    void anotherUsersClaimAnswersLikeAMissingOne() {
        Claimant c = holders.claimant(25_000);
        String id = claimed(c).get("claimId").asString();

        HttpResponse<String> other = get(http, "someone-else", "/api/v1/nft/claims/" + id);

        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(get(http, c.userId(), "/api/v1/nft/claims/" + UUID.randomUUID())
                        .statusCode())
                .isEqualTo(404);
        await().atMost(WAIT).until(() -> claimStatus(c, id), "completed"::equals);
    }

    @Test
    void aClaimWhoseUploadGaveUpFailsWithACompensationAndAnOperatorRetryCompletesIt() {
        KUBO.fail();
        Claimant c = holders.claimant(25_000);
        String id = claimed(c).get("claimId").asString();
        await().atMost(WAIT).until(() -> claimStatus(c, id), "failed"::equals);
        assertThat(jdbc.sql("select status from compensation_requests where claim_id = :c")
                        .param("c", UUID.fromString(id))
                        .query(String.class)
                        .single())
                .isEqualTo("pending_review");
        // The failed claim still holds the user's one claim.
        assertThat(claim(http, c.userId(), c.walletAddress()).statusCode()).isEqualTo(409);

        KUBO.reset();
        HttpResponse<String> retried =
                http.sendAs("POST", "/api/v1/nft/admin/claims/" + id + "/retry-mint", "operator-1", "operator", null);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);

        await().atMost(WAIT).until(() -> claimStatus(c, id), "completed"::equals);
        assertThat(RPC.sent()).hasSize(1);
        assertThat(jdbc.sql("select status from compensation_requests where claim_id = :c")
                        .param("c", UUID.fromString(id))
                        .query(String.class)
                        .single())
                .isEqualTo("resolved");
    }

    @Test
    void aClaimedNftIsUpgradedLikeAnyOther() {
        Claimant c = holders.claimant(600_000);
        String id = completed(c);
        String mint = json(get(http, c.userId(), "/api/v1/nft/claims/" + id))
                .get("mintAddress")
                .asString();
        SolanaRpcStub.holds(c.walletAddress(), mint);
        for (String badge : List.of("a", "b")) {
            jdbc.sql("insert into badges (id, user_id, code, name, status, activated_at)"
                            + " values (:id, :u, :code, :code, 'activated', now())")
                    .param("id", UUID.randomUUID())
                    .param("u", c.userId())
                    .param("code", "badge-" + badge)
                    .update();
        }

        JsonNode started = json(start(http, c.userId(), 2));
        assertThat(started.get("status").asString()).as(started.toString()).isEqualTo("awaiting_burn");
        String upgrade = started.get("upgradeId").asString();
        WireTransaction unsigned =
                WireTransaction.fromBase64(started.get("burnTransaction").asString());
        WireTransaction signed =
                WireTransaction.parse(unsigned.signedBy(0, c.wallet().getSecretKey()));
        RPC.landed(signed, Holders.associatedTokenAccount(c.walletAddress(), mint), mint, 1, 0, null);
        assertThat(confirmBurn(http, c.userId(), upgrade, signed.signature()).statusCode())
                .isEqualTo(202);

        await().atMost(WAIT).until(() -> status(http, c.userId(), upgrade), "completed"::equals);
        assertThat(jdbc.sql("select status from user_nfts where claim_id = :c")
                        .param("c", UUID.fromString(id))
                        .query(String.class)
                        .single())
                .isEqualTo("burned");
    }
}
