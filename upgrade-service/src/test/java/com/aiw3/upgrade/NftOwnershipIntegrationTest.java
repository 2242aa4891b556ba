package com.aiw3.upgrade;

import static com.aiw3.upgrade.support.UpgradeTestSupport.get;
import static com.aiw3.upgrade.support.UpgradeTestSupport.json;
import static com.aiw3.upgrade.support.UpgradeTestSupport.signAndLand;
import static com.aiw3.upgrade.support.UpgradeTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.upgrade.support.Holders.Holder;
import com.aiw3.upgrade.support.SolanaRpcStub;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An upgrade burns the NFT in the wallet, so the wallet must still hold it when the burn is prepared
 * (ADR 0029): the chain is asked for the wallet's associated token account, a transfer away refuses the
 * upgrade and marks the holding transferred, and a node that cannot answer changes nothing.
 */
@StubbedChainService
class NftOwnershipIntegrationTest extends StubbedChainTest {

    private static final String NOT_IN_WALLET = "https://aiw3.example/problems/nft-not-in-wallet";

    @Test
    void anUpgradeOfAnNftThatLeftTheWalletIsRefusedAndOnlyTheHoldingIsMarkedTransferred() {
        Holder holder = holders.qualifiedForTier2();
        SolanaRpcStub.transferredAway(holder.walletAddress(), holder.nftMint());

        HttpResponse<String> refused = start(http, holder.userId(), 2, "Idempotency-Key", "k-" + holder.userId());

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(refused);
        assertThat(problem.get("type").asString()).isEqualTo(NOT_IN_WALLET);
        assertThat(problem.get("title").asString()).isEqualTo("NFT not in wallet");
        assertThat(problem.get("detail").asString()).contains(holder.nftMint()).contains("no longer in your wallet");
        assertThat(problem.get("mintAddress").asString()).isEqualTo(holder.nftMint());
        // The chain was asked about the account the burn would take the NFT from, and nothing was prepared.
        assertThat(RPC.lastCall("getAccountInfo")
                        .orElseThrow()
                        .get("params")
                        .get(0)
                        .asString())
                .isEqualTo(holder.tokenAccount());
        assertThat(RPC.calls("sendTransaction")).isZero();

        // The one state change: the holding is transferred, with its time; no upgrade, no key, no event.
        assertThat(holdingStatus(holder)).isEqualTo("transferred");
        assertThat(jdbc.sql("select transferred_at is not null from user_nfts where id = :id")
                        .param("id", holder.nftId())
                        .query(Boolean.class)
                        .single())
                .isTrue();
        assertThat(count("upgrade_requests", holder)).isZero();
        assertThat(count("upgrade_idempotency_keys", holder)).isZero();
        assertThat(outboxRows(holder)).isZero();

        // What the user sees afterwards: no active NFT, so no qualification and no upgrade, without asking
        // the chain again.
        UpgradeFlowIntegrationTest.assertProblem(get(http, holder.userId(), "/api/v1/nft/mine"), 404, "no active NFT");
        UpgradeFlowIntegrationTest.assertProblem(
                get(http, holder.userId(), "/api/v1/nft/qualification?targetTierId=2"), 409, "no active NFT");
        int asked = RPC.calls("getAccountInfo");
        UpgradeFlowIntegrationTest.assertProblem(start(http, holder.userId(), 2), 409, "no active NFT");
        assertThat(RPC.calls("getAccountInfo")).isEqualTo(asked);

        // The NFT coming back to the wallet does not make the holding active again by itself.
        SolanaRpcStub.holds(holder.walletAddress(), holder.nftMint());
        UpgradeFlowIntegrationTest.assertProblem(start(http, holder.userId(), 2), 409, "no active NFT");
        assertThat(holdingStatus(holder)).isEqualTo("transferred");
        assertThat(outboxRows(holder)).isZero();
    }

    @Test
    void anRpcNodeThatIsDownAnswers503WithRetryAfterAndChangesNothing() {
        Holder holder = holders.qualifiedForTier2();
        RPC.down();

        HttpResponse<String> refused = start(http, holder.userId(), 2);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json(refused).get("type").asString()).isEqualTo("https://aiw3.example/problems/chain-unavailable");
        assertThat(holdingStatus(holder)).isEqualTo("active");
        assertThat(count("upgrade_requests", holder)).isZero();
        assertThat(outboxRows(holder)).isZero();

        // Once the node answers, the same request goes through: the wallet holds the NFT.
        RPC.reset();
        HttpResponse<String> started = start(http, holder.userId(), 2);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(json(started).get("status").asString()).isEqualTo("awaiting_burn");
        assertThat(RPC.lastCall("getAccountInfo")
                        .orElseThrow()
                        .get("params")
                        .get(0)
                        .asString())
                .isEqualTo(holder.tokenAccount());
        assertThat(holdingStatus(holder)).isEqualTo("active");
    }

    @Test
    void anNftBurnedByTheUsersOpenUpgradeIsNotTakenForATransfer() {
        Holder holder = holders.qualifiedForTier2();
        JsonNode started = json(start(http, holder.userId(), 2));
        assertThat(started.get("status").asString()).isEqualTo("awaiting_burn");
        signAndLand(RPC, holder, started.get("burnTransaction").asString());
        // The burn landed: the wallet no longer holds the NFT, because this upgrade burned it.
        SolanaRpcStub.transferredAway(holder.walletAddress(), holder.nftMint());

        UpgradeFlowIntegrationTest.assertProblem(
                start(http, holder.userId(), 2), 409, "already have an upgrade in progress");
        assertThat(holdingStatus(holder)).isEqualTo("active");
    }

    private String holdingStatus(Holder holder) {
        return jdbc.sql("select status from user_nfts where id = :id")
                .param("id", holder.nftId())
                .query(String.class)
                .single();
    }

    private long count(String table, Holder holder) {
        return jdbc.sql("select count(*) from " + table + " where user_id = :user")
                .param("user", holder.userId())
                .query(Long.class)
                .single();
    }

    private long outboxRows(Holder holder) {
        return jdbc.sql("select count(*) from messaging_outbox where record_key = :user")
                .param("user", holder.userId())
                .query(Long.class)
                .single();
    }
}
