package com.aiw3.upgrade;

import static com.aiw3.upgrade.support.UpgradeTestSupport.confirmBurn;
import static com.aiw3.upgrade.support.UpgradeTestSupport.get;
import static com.aiw3.upgrade.support.UpgradeTestSupport.json;
import static com.aiw3.upgrade.support.UpgradeTestSupport.lastUpgradeEvent;
import static com.aiw3.upgrade.support.UpgradeTestSupport.signAndLand;
import static com.aiw3.upgrade.support.UpgradeTestSupport.start;
import static com.aiw3.upgrade.support.UpgradeTestSupport.status;
import static com.aiw3.upgrade.support.UpgradeTestSupport.upgradeEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.events.upgrade.UpgradeStatus;
import com.aiw3.upgrade.metadata.Cid;
import com.aiw3.upgrade.support.Holders;
import com.aiw3.upgrade.support.Holders.Holder;
import com.aiw3.upgrade.support.SolanaRpcStub;
import com.aiw3.upgrade.support.UpgradeTestSupport;
import com.aiw3.upgrade.support.WireTransaction;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.p2p.solanaj.core.PublicKey;
import org.p2p.solanaj.programs.MemoProgram;
import org.p2p.solanaj.programs.SystemProgram;
import org.p2p.solanaj.programs.TokenProgram;
import tools.jackson.databind.JsonNode;

@StubbedChainService
class UpgradeFlowIntegrationTest extends StubbedChainTest {

    private static byte[] artwork(String file) throws java.io.IOException {
        try (var in = UpgradeFlowIntegrationTest.class.getResourceAsStream("/artwork/" + file)) {
            return in.readAllBytes();
        }
    }

    private String awaitingBurn(Holder holder) {
        HttpResponse<String> started = start(http, holder.userId(), 2);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode body = json(started);
        assertThat(body.get("status").asString()).isEqualTo("awaiting_burn");
        return body.get("upgradeId").asString();
    }

    @Test
    void aQualifiedHolderBurnsAndGetsExactlyOneNewNftWithEveryStepPublished() throws Exception {
        Holder holder = holders.qualifiedForTier2();

        HttpResponse<String> started = start(http, holder.userId(), 2);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode body = json(started);
        String id = body.get("upgradeId").asString();
        assertThat(body.get("progress").asInt()).isEqualTo(20);
        assertThat(body.get("eventsUrl").asString()).isEqualTo("/api/v1/nft/upgrade/" + id + "/events");
        assertThat(started.headers().firstValue("Location")).hasValue("/api/v1/nft/upgrade/" + id);

        // The burn transaction is what a wallet expects: one empty signature slot, the wallet pays, and
        // its only instruction burns 1 of the NFT from the wallet's associated token account.
        WireTransaction burn =
                WireTransaction.fromBase64(body.get("burnTransaction").asString());
        assertThat(burn.signatures())
                .singleElement()
                .satisfies(sig -> assertThat(sig).containsOnly(0));
        assertThat(burn.feePayer()).isEqualTo(holder.walletAddress());
        assertThat(burn.recentBlockhash()).isEqualTo(RPC.blockhash());
        assertThat(burn.instructions()).singleElement().satisfies(ix -> {
            assertThat(burn.program(ix)).isEqualTo(TokenProgram.PROGRAM_ID.toBase58());
            assertThat(ix.data()[0]).isEqualTo((byte) 8);
            assertThat(burn.account(ix, 0)).isEqualTo(holder.tokenAccount());
            assertThat(burn.account(ix, 1)).isEqualTo(holder.nftMint());
            assertThat(burn.account(ix, 2)).isEqualTo(holder.walletAddress());
        });

        String signature = signAndLand(RPC, holder, body.get("burnTransaction").asString());
        assertThat(WireTransaction.parse(burn.signedBy(0, holder.wallet().getSecretKey()))
                        .fullySigned())
                .as("the wallet's signature over the prepared message verifies")
                .isTrue();
        HttpResponse<String> confirmed = confirmBurn(http, holder.userId(), id, signature);
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(202);
        assertThat(json(confirmed).get("status").asString()).isEqualTo("burn_verified");

        await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "completed"::equals);

        // Exactly one mint, signed by the system wallet and the derived mint key, minting 1 to the holder.
        List<WireTransaction> sent = RPC.sent();
        assertThat(sent).hasSize(1);
        WireTransaction mint = sent.getFirst();
        assertThat(mint.fullySigned()).isTrue();
        assertThat(mint.requiredSignatures()).isEqualTo(2);
        JsonNode done = json(get(http, holder.userId(), "/api/v1/nft/upgrade/" + id));
        String newMint = done.get("newMintAddress").asString();
        assertThat(mint.accountKeys().get(1)).isEqualTo(newMint);
        assertThat(done.get("mintSignature").asString()).isEqualTo(mint.signature());
        List<String> programs = mint.instructions().stream().map(mint::program).toList();
        assertThat(programs)
                .contains(
                        SystemProgram.PROGRAM_ID.toBase58(),
                        TokenProgram.PROGRAM_ID.toBase58(),
                        MemoProgram.PROGRAM_ID.toBase58());
        String memo = mint.instructions().stream()
                .filter(ix -> mint.program(ix).equals(MemoProgram.PROGRAM_ID.toBase58()))
                .map(ix -> new String(ix.data(), StandardCharsets.UTF_8))
                .findFirst()
                .orElseThrow();
        assertThat(memo).contains(id).contains(done.get("metadataUri").asString());

        // The Metaplex metadata account names the NFT and points to its metadata (Borsh, as published).
        String metaplexProgram = "metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s";
        var metaplex = mint.instructions().stream()
                .filter(ix -> mint.program(ix).equals(metaplexProgram))
                .findFirst()
                .orElseThrow();
        ByteBuffer data = ByteBuffer.wrap(metaplex.data()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.get()).as("CreateMetadataAccountV3").isEqualTo((byte) 33);
        assertThat(borshString(data)).isEqualTo("AIW3 Quant Ape");
        assertThat(borshString(data)).isEqualTo("AIW3");
        assertThat(borshString(data)).isEqualTo(done.get("metadataUri").asString());
        assertThat(mint.account(metaplex, 1)).isEqualTo(newMint);
        assertThat(mint.account(metaplex, 0))
                .isEqualTo(PublicKey.findProgramAddress(
                                List.of(
                                        "metadata".getBytes(StandardCharsets.UTF_8),
                                        new PublicKey(metaplexProgram).toByteArray(),
                                        new PublicKey(newMint).toByteArray()),
                                new PublicKey(metaplexProgram))
                        .getAddress()
                        .toBase58());
        String systemWallet = new org.p2p.solanaj.core.Account(
                        org.p2p.solanaj.utils.Base58.decode(UpgradeTestSupport.SYSTEM_WALLET_KEY))
                .getPublicKeyBase58();
        assertThat(mint.account(metaplex, 2)).as("mint authority").isEqualTo(systemWallet);
        assertThat(mint.account(metaplex, 3)).as("payer").isEqualTo(systemWallet);
        assertThat(mint.account(metaplex, 4))
                .as("update authority: the configured key, not the hot system wallet")
                .isEqualTo(UpgradeTestSupport.UPDATE_AUTHORITY);

        // After minting 1 (and the metadata, which needs the mint authority), both authorities go to none.
        List<WireTransaction.Instruction> all = mint.instructions();
        List<WireTransaction.Instruction> setAuthority = all.stream()
                .filter(ix -> mint.program(ix).equals(TokenProgram.PROGRAM_ID.toBase58()) && ix.data()[0] == 6)
                .toList();
        assertThat(setAuthority).hasSize(2);
        assertThat(setAuthority.get(0).data()).as("MintTokens -> None").containsExactly(6, 0, 0);
        assertThat(setAuthority.get(1).data()).as("FreezeAccount -> None").containsExactly(6, 1, 0);
        for (WireTransaction.Instruction ix : setAuthority) {
            assertThat(mint.account(ix, 0)).isEqualTo(newMint);
            assertThat(mint.account(ix, 1)).isEqualTo(systemWallet);
            assertThat(all.indexOf(ix)).isGreaterThan(all.indexOf(metaplex));
        }

        // The metadata on IPFS is the Metaplex JSON of the new tier, under the CID the mint points to.
        byte[] uploaded = KUBO.uploads("application/json").getFirst();
        assertThat(done.get("metadataUri").asString()).isEqualTo("ipfs://" + Cid.rawV1(uploaded));
        JsonNode metadata = UpgradeTestSupport.JSON.readTree(uploaded);
        assertThat(metadata.get("name").asString()).isEqualTo("AIW3 Quant Ape");
        assertThat(metadata.get("attributes").toString()).contains("\"trait_type\":\"Level\",\"value\":2");
        assertThat(metadata.get("image").asString())
                .as("the image is the tier's artwork pinned on IPFS")
                .isEqualTo("ipfs://" + Cid.rawV1(artwork("tier-2.svg")));
        assertThat(KUBO.queries())
                .allSatisfy(query -> assertThat(query).contains("cid-version=1").contains("pin=true"));

        // Records: the old NFT is burned, the new one active, the activated badges consumed, and the
        // first upgrade earned its badge.
        assertThat(jdbc.sql("select status from user_nfts where id = :id")
                        .param("id", holder.nftId())
                        .query(String.class)
                        .single())
                .isEqualTo("burned");
        assertThat(jdbc.sql("select tier_id from user_nfts where user_id = :u and status = 'active'")
                        .param("u", holder.userId())
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
        assertThat(holders.badgeStatuses(holder.userId())).containsExactly("consumed", "consumed", "earned");

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(upgradeEvents(brokers, UUID.fromString(id)))
                        .extracting(UpgradeEvent::status)
                        .containsExactly(
                                UpgradeStatus.INITIALIZING,
                                UpgradeStatus.QUALIFICATION_VERIFIED,
                                UpgradeStatus.AWAITING_BURN,
                                UpgradeStatus.BURN_VERIFIED,
                                UpgradeStatus.UPLOADING_METADATA,
                                UpgradeStatus.METADATA_UPLOADED,
                                UpgradeStatus.MINTING_NEW_NFT,
                                UpgradeStatus.UPDATING_RECORDS,
                                UpgradeStatus.COMPLETED));
        UpgradeEvent.UpgradeCompleted completed =
                lastUpgradeEvent(brokers, UUID.fromString(id), UpgradeEvent.UpgradeCompleted.class);
        assertThat(completed.newNft().mintAddress()).isEqualTo(newMint);
        // What a UI shows without another call: the tier's benefits and the artwork through the HTTP gateway.
        assertThat(completed.newNft().benefits())
                .containsExactlyInAnyOrderEntriesOf(Map.of("tradingFeeDiscount", "10%", "aiAgentUses", "3"));
        assertThat(completed.newNft().imageUrl())
                .isEqualTo("https://gateway.test/ipfs/" + Cid.rawV1(artwork("tier-2.svg")));
        assertThat(completed.consumedBadgeIds()).hasSize(2);

        // Confirming the same burn again is answered with the current state, and changes nothing.
        HttpResponse<String> again = confirmBurn(http, holder.userId(), id, signature);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).get("status").asString()).isEqualTo("completed");
        assertThat(RPC.sent()).hasSize(1);
    }

    @Test
    void aHolderShortOfTheRequirementsIsToldWhatIsMissing() {
        Holder holder = holders.holder(1, 1, 100_000);

        HttpResponse<String> q = get(http, holder.userId(), "/api/v1/nft/qualification?targetTierId=2");
        assertThat(q.statusCode()).isEqualTo(200);
        assertThat(json(q).get("qualified").asBoolean()).isFalse();
        assertThat(json(q).get("missing")).hasSize(2);

        HttpResponse<String> started = start(http, holder.userId(), 2);
        assertThat(started.statusCode()).isEqualTo(202);
        JsonNode body = json(started);
        assertThat(body.get("status").asString()).isEqualTo("qualification_failed");
        assertThat(body.get("requirements").toString())
                .contains(
                        "\"code\":\"ACTIVATED_BADGES\",\"description\":\"Activated badges\",\"required\":2,\"actual\":1");
        assertThat(RPC.calls("getLatestBlockhash")).isZero();

        // qualification_failed is terminal: once the requirements are met, a new attempt goes ahead.
        jdbc.sql("update user_trading_volume set volume_usd = 1000000 where user_id = :u")
                .param("u", holder.userId())
                .update();
        jdbc.sql("insert into badges (id, user_id, code, name, status) values (:id, :u, 'x', 'X', 'activated')")
                .param("id", UUID.randomUUID())
                .param("u", holder.userId())
                .update();
        assertThat(json(start(http, holder.userId(), 2)).get("status").asString())
                .isEqualTo("awaiting_burn");
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        Holder holder = holders.qualifiedForTier2();
        Holder other = holders.qualifiedForTier2();
        String id = awaitingBurn(holder);
        // The outbox publishes after the request returns: count once the burn transaction's event is out.
        lastUpgradeEvent(brokers, UUID.fromString(id), UpgradeEvent.BurnTransactionPrepared.class);
        int events = upgradeEvents(brokers, UUID.fromString(id)).size();

        assertProblem(start(http, holder.userId(), 99), 422, "unknown tier");
        assertProblem(start(http, other.userId(), 3), 422, "next tier");
        assertProblem(start(http, "nobody-" + UUID.randomUUID(), 2), 409, "no active NFT");
        assertProblem(http.sendAs("POST", "/api/v1/nft/upgrade", holder.userId(), "", "{\"targetTierId\":"), 400, null);
        assertProblem(start(http, holder.userId(), 2), 409, "already have an upgrade in progress");
        assertProblem(confirmBurn(http, holder.userId(), id, "not-a-signature"), 400, "base58");
        assertProblem(get(http, other.userId(), "/api/v1/nft/upgrade/" + id), 404, "no upgrade");
        assertProblem(get(http, holder.userId(), "/api/v1/nft/upgrade/not-a-uuid"), 400, null);

        // Another user's burn, a random signature, and a failed lookup never move the upgrade.
        String otherId = awaitingBurn(other);
        String otherBurn = signAndLand(RPC, other, burnTransaction(other, otherId));
        assertProblem(confirmBurn(http, other.userId(), id, otherBurn), 404, "no upgrade");
        assertProblem(confirmBurn(http, holder.userId(), id, otherBurn), 422, "not signed by your wallet");
        String unknown = org.p2p.solanaj.utils.Base58.encode(SolanaRpcStub.randomBytes(64));
        assertProblem(confirmBurn(http, holder.userId(), id, unknown), 422, "no confirmed transaction");
        assertProblem(
                http.sendAs("POST", "/api/v1/nft/upgrade/" + id + "/cancel", other.userId(), "", null),
                404,
                "no upgrade");

        assertThat(status(http, holder.userId(), id)).isEqualTo("awaiting_burn");
        assertThat(upgradeEvents(brokers, UUID.fromString(id))).hasSize(events);

        // A burn that already proved one upgrade cannot prove another.
        assertThat(confirmBurn(http, other.userId(), otherId, otherBurn).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(http, other.userId(), otherId), "completed"::equals);
        jdbc.sql("update upgrade_requests set wallet_address = :w, current_nft_mint = :m where id = :id")
                .param("w", other.walletAddress())
                .param("m", other.nftMint())
                .param("id", UUID.fromString(id))
                .update();
        assertProblem(confirmBurn(http, holder.userId(), id, otherBurn), 409, "already confirmed another upgrade");
    }

    @Test
    void aBurnThatFailedOnChainEndsTheUpgradeAsBurnFailed() {
        Holder holder = holders.qualifiedForTier2();
        String id = awaitingBurn(holder);
        String burnTx = burnTransaction(holder, id);
        WireTransaction signed = WireTransaction.parse(
                WireTransaction.fromBase64(burnTx).signedBy(0, holder.wallet().getSecretKey()));
        RPC.landed(
                signed,
                holder.tokenAccount(),
                holder.nftMint(),
                1,
                1,
                java.util.Map.of("InstructionError", List.of(0, java.util.Map.of("Custom", 1))));

        HttpResponse<String> response = confirmBurn(http, holder.userId(), id, signed.signature());
        assertThat(json(response).get("status").asString()).isEqualTo("burn_failed");
        assertThat(RPC.sent()).isEmpty();
    }

    @Test
    void someoneElsesFailedTransactionDoesNotFailTheUpgrade() {
        Holder holder = holders.qualifiedForTier2();
        Holder other = holders.qualifiedForTier2();
        String id = awaitingBurn(holder);
        String otherId = awaitingBurn(other);
        java.util.Map<String, Object> err =
                java.util.Map.of("InstructionError", List.of(0, java.util.Map.of("Custom", 1)));
        WireTransaction othersFailed = WireTransaction.parse(WireTransaction.fromBase64(burnTransaction(other, otherId))
                .signedBy(0, other.wallet().getSecretKey()));
        RPC.landed(othersFailed, other.tokenAccount(), other.nftMint(), 1, 1, err);

        assertProblem(
                confirmBurn(http, holder.userId(), id, othersFailed.signature()), 422, "not signed by your wallet");
        assertThat(status(http, holder.userId(), id)).isEqualTo("awaiting_burn");

        // The user's own failed transaction that does not burn this NFT (signed by the user's wallet,
        // burning another mint) is not this upgrade's failure either.
        org.p2p.solanaj.core.Transaction otherInstruction = new org.p2p.solanaj.core.Transaction();
        PublicKey otherMint = new PublicKey(other.nftMint());
        otherInstruction.addInstruction(TokenProgram.burn(
                new PublicKey(Holders.associatedTokenAccount(holder.walletAddress(), other.nftMint())),
                otherMint,
                holder.wallet().getPublicKey(),
                1));
        otherInstruction.setRecentBlockHash(RPC.blockhash());
        otherInstruction.sign(holder.wallet());
        WireTransaction ownOtherInstruction = WireTransaction.parse(otherInstruction.serialize());
        RPC.landed(ownOtherInstruction, other.tokenAccount(), other.nftMint(), 1, 1, err);
        assertThat(confirmBurn(http, holder.userId(), id, ownOtherInstruction.signature())
                        .statusCode())
                .isEqualTo(422);
        assertThat(status(http, holder.userId(), id)).isEqualTo("awaiting_burn");

        // The user's real burn still goes through.
        String signature = signAndLand(RPC, holder, burnTransaction(holder, id));
        assertThat(confirmBurn(http, holder.userId(), id, signature).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "completed"::equals);
    }

    @Test
    void confirmBurnIsRateLimitedPerUser() {
        Holder holder = holders.qualifiedForTier2();
        Holder other = holders.qualifiedForTier2();
        String id = awaitingBurn(holder);
        String unknown = org.p2p.solanaj.utils.Base58.encode(new byte[64]);
        for (int i = 0; i < 5; i++) {
            assertProblem(confirmBurn(http, holder.userId(), id, unknown), 422, "no confirmed transaction");
        }
        assertProblem(confirmBurn(http, holder.userId(), id, unknown), 429, "too many burn confirmations");
        // Another user is not affected.
        assertProblem(confirmBurn(http, other.userId(), awaitingBurn(other), unknown), 422, "no confirmed transaction");
        assertThat(status(http, holder.userId(), id)).isEqualTo("awaiting_burn");
    }

    @Test
    void aVersion0BurnWithALookupTableIsVerified() throws Exception {
        Holder holder = holders.qualifiedForTier2();
        String id = awaitingBurn(holder);
        byte[] burnData = ByteBuffer.allocate(9)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 8)
                .putLong(1)
                .array();
        String signature = org.p2p.solanaj.utils.Base58.encode(new java.security.SecureRandom().generateSeed(64));
        // The token account, the mint and the Token program come from an address lookup table: the
        // instruction's account indexes point past the static keys into meta.loadedAddresses.
        RPC.recordedTransaction(
                signature,
                "getTransaction-v0-burn.json",
                java.util.Map.of(
                        "wallet", holder.walletAddress(),
                        "tokenAccount", holder.tokenAccount(),
                        "mint", holder.nftMint(),
                        "tokenProgram", TokenProgram.PROGRAM_ID.toBase58(),
                        "lookupTable", new org.p2p.solanaj.core.Account().getPublicKeyBase58(),
                        "burnData", org.p2p.solanaj.utils.Base58.encode(burnData),
                        "blockhash", RPC.blockhash(),
                        "signature", signature));

        HttpResponse<String> confirmed = confirmBurn(http, holder.userId(), id, signature);
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(202);
        assertThat(RPC.lastCall("getTransaction")
                        .orElseThrow()
                        .get("params")
                        .get(1)
                        .toString())
                .contains("\"maxSupportedTransactionVersion\":0");
        await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "completed"::equals);
    }

    @Test
    void noBurnBeforeTheDeadlineEndsTheUpgradeAsBurnFailed() {
        Holder holder = holders.qualifiedForTier2();
        String id = awaitingBurn(holder);
        jdbc.sql("update upgrade_requests set burn_deadline = now() - interval '1 second' where id = :id")
                .param("id", UUID.fromString(id))
                .update();

        await().atMost(Duration.ofSeconds(10)).until(() -> status(http, holder.userId(), id), "burn_failed"::equals);
        assertThat(lastUpgradeEvent(brokers, UUID.fromString(id), UpgradeEvent.BurnFailed.class)
                        .reason())
                .contains("deadline");
        assertProblem(http.sendAs("POST", "/api/v1/nft/upgrade/" + id + "/cancel", holder.userId(), "", null), 409, "");
    }

    @Test
    void aBurnLandedInTimeButConfirmedLateIsStillHonoured() {
        Holder holder = holders.qualifiedForTier2();
        String id = awaitingBurn(holder);
        String burnTx = burnTransaction(holder, id);
        String signature = signAndLand(RPC, holder, burnTx);
        jdbc.sql("update upgrade_requests set burn_deadline = now() - interval '1 second' where id = :id")
                .param("id", UUID.fromString(id))
                .update();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(http, holder.userId(), id), "burn_failed"::equals);

        assertThat(confirmBurn(http, holder.userId(), id, signature).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "completed"::equals);
    }

    @Test
    void aUserCancelsWhileAwaitingTheBurnAndCannotConfirmAfterwards() {
        Holder holder = holders.qualifiedForTier2();
        String id = awaitingBurn(holder);
        HttpResponse<String> cancelled =
                http.sendAs("POST", "/api/v1/nft/upgrade/" + id + "/cancel", holder.userId(), "", null);
        assertThat(json(cancelled).get("status").asString()).isEqualTo("cancelled");
        String signature = signAndLand(RPC, holder, burnTransaction(holder, id));
        assertProblem(confirmBurn(http, holder.userId(), id, signature), 409, "not awaiting_burn");
        // A new upgrade may start: cancelled is terminal.
        assertThat(start(http, holder.userId(), 2).statusCode()).isEqualTo(202);
        assertThat(json(get(http, holder.userId(), "/api/v1/nft/upgrades?size=10"))
                        .get("total")
                        .asInt())
                .isEqualTo(2);
    }

    /** The unsigned burn transaction the upgrade holds for the wallet. */
    private String burnTransaction(Holder holder, String upgradeId) {
        return json(get(http, holder.userId(), "/api/v1/nft/upgrade/" + upgradeId))
                .get("burnTransaction")
                .asString();
    }

    private String burnVerified(Holder holder) {
        String id = awaitingBurn(holder);
        String burnTx = burnTransaction(holder, id);
        HttpResponse<String> confirmed = confirmBurn(http, holder.userId(), id, signAndLand(RPC, holder, burnTx));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(202);
        return id;
    }

    private HttpResponse<String> retry(String operator, String id) {
        return http.sendAs("POST", "/api/v1/nft/admin/upgrades/" + id + "/retry-mint", "ops-1", operator, null);
    }

    @Test
    void aMintThatKeepsFailingAfterTheBurnIsCriticalAndAnOperatorRetryMintsOnlyOnce() {
        Holder holder = holders.qualifiedForTier2();
        RPC.refuseSends("Transaction simulation failed: Blockhash not found");
        String id = burnVerified(holder);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> status(http, holder.userId(), id), "mint_failed_critical"::equals);
        UpgradeEvent.MintFailedCritical critical =
                lastUpgradeEvent(brokers, UUID.fromString(id), UpgradeEvent.MintFailedCritical.class);
        assertThat(critical.burnTxSignature()).isNotBlank();
        assertThat(critical.reason()).contains("3 attempts");
        UUID compensation = critical.compensationRequestId();
        JsonNode open = json(
                http.sendAs("GET", "/api/v1/nft/admin/compensations?status=pending_review", "ops-1", "operator", null));
        assertThat(open.toString()).contains(compensation.toString()).contains("mint_failure_after_burn");
        // The user's NFT is burned: no new upgrade until this one is made whole.
        assertProblem(start(http, holder.userId(), 2), 409, "already have an upgrade in progress");
        // Only operators retry.
        assertProblem(retry("", id), 403, null);

        RPC.reset();
        HttpResponse<String> retried = retry("operator", id);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "completed"::equals);

        // Every attempt, failed or not, created the same derived mint account: the chain allows one.
        List<WireTransaction> sent = RPC.sent();
        assertThat(sent).hasSize(1);
        assertThat(jdbc.sql("select count(distinct mint_address) from mint_attempts where upgrade_id = :id")
                        .param("id", UUID.fromString(id))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        assertThat(jdbc.sql("select status from compensation_requests where id = :id")
                        .param("id", compensation)
                        .query(String.class)
                        .single())
                .isEqualTo("resolved");
        assertProblem(retry("operator", id), 409, "only failed or mint_failed_critical");
    }

    @Test
    void aSystemKeyRotationBetweenAFailedMintAndTheRetryMintsOnceAtTheRecordedAddress() {
        Holder holder = holders.qualifiedForTier2();
        RPC.refuseSends("Transaction simulation failed: Blockhash not found");
        String id = burnVerified(holder);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> status(http, holder.userId(), id), "mint_failed_critical"::equals);

        // The key changes: what the failed attempts recorded (address and signatures) was derived and
        // signed by the previous key, which the service no longer holds.
        String previousKeyAddress = new org.p2p.solanaj.core.Account().getPublicKeyBase58();
        UUID upgrade = UUID.fromString(id);
        jdbc.sql("update upgrade_requests set new_mint_address = :a where id = :id")
                .param("a", previousKeyAddress)
                .param("id", upgrade)
                .update();
        jdbc.sql("update mint_attempts set mint_address = :a where upgrade_id = :id")
                .param("a", previousKeyAddress)
                .param("id", upgrade)
                .update();
        RPC.reset();

        // The previous key's attempts are recent enough to land still: nothing is minted meanwhile.
        assertThat(retry("operator", id).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> status(http, holder.userId(), id), "mint_failed_critical"::equals);
        assertThat(RPC.sent()).isEmpty();

        // Once they cannot land (blockhash expired) and did not, the current key's address is recorded
        // and minted, exactly once.
        jdbc.sql("update mint_attempts set created_at = now() - interval '10 minutes' where upgrade_id = :id")
                .param("id", upgrade)
                .update();
        assertThat(retry("operator", id).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "completed"::equals);
        List<WireTransaction> sent = RPC.sent();
        assertThat(sent).hasSize(1);
        String recorded = json(get(http, holder.userId(), "/api/v1/nft/upgrade/" + id))
                .get("newMintAddress")
                .asString();
        assertThat(recorded)
                .isNotEqualTo(previousKeyAddress)
                .isEqualTo(sent.getFirst().accountKeys().get(1));
        assertThat(RPC.accountCreated(recorded)).isTrue();
        assertThat(jdbc.sql("select new_mint_address from upgrade_requests where id = :id")
                        .param("id", upgrade)
                        .query(String.class)
                        .single())
                .isEqualTo(recorded);
    }

    @Test
    void aMetadataUploadThatKeepsFailingEndsAsFailedBeforeAnyMint() {
        Holder holder = holders.qualifiedForTier2();
        KUBO.fail();
        String id = burnVerified(holder);

        await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "failed"::equals);
        assertThat(RPC.sent()).isEmpty();
        UpgradeEvent.UpgradeFailed failed =
                lastUpgradeEvent(brokers, UUID.fromString(id), UpgradeEvent.UpgradeFailed.class);
        assertThat(failed.failedAt()).isEqualTo(UpgradeStatus.UPLOADING_METADATA);
        assertThat(failed.progress()).isEqualTo(60);
        assertThat(json(http.sendAs("GET", "/api/v1/nft/admin/compensations", "ops-1", "operator", null))
                        .toString())
                .contains(id)
                .contains("metadata_upload_failed");

        KUBO.reset();
        assertThat(retry("operator", id).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "completed"::equals);
        assertThat(RPC.sent()).hasSize(1);
    }

    @Test
    void aHundredConcurrentStartsByOneUserCreateExactlyOneUpgrade() throws Exception {
        Holder holder = holders.qualifiedForTier2();
        List<Integer> codes =
                concurrently(100, () -> start(http, holder.userId(), 2).statusCode());
        assertThat(codes).filteredOn(c -> c == 202).hasSize(1);
        // Beyond the instance's in-flight limit a start is refused with 503 before it runs (ADR 0039).
        assertThat(codes).filteredOn(c -> c != 202).allMatch(c -> c == 409 || c == 503);
        assertThat(codes).filteredOn(c -> c == 409).isNotEmpty();
        assertThat(jdbc.sql("select count(*) from upgrade_requests where user_id = :u")
                        .param("u", holder.userId())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void retriesWithTheSameIdempotencyKeyGetTheSameUpgrade() throws Exception {
        Holder holder = holders.qualifiedForTier2();
        String key = UUID.randomUUID().toString();
        List<String> ids = concurrently(20, () -> {
            HttpResponse<String> r = start(http, holder.userId(), 2, "Idempotency-Key", key);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            return json(r).get("upgradeId").asString();
        });
        assertThat(ids).containsOnly(ids.getFirst());
        assertProblem(start(http, holder.userId(), 3, "Idempotency-Key", key), 422, "different request");
    }

    @Test
    void theOpenApiDocumentDescribesTheUpgradeApi() {
        HttpResponse<String> docs = http.getAnonymously("/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode paths = json(docs).get("paths");
        assertThat(paths.has("/api/v1/nft/upgrade")).isTrue();
        assertThat(paths.has("/api/v1/nft/upgrade/{id}/confirm-burn")).isTrue();
        assertThat(paths.has("/api/v1/nft/upgrade/{id}/cancel")).isTrue();
        assertThat(paths.has("/api/v1/nft/upgrades")).isTrue();
        assertThat(paths.has("/api/v1/nft/tiers")).isTrue();
        assertThat(paths.has("/api/v1/nft/qualification")).isTrue();
        assertThat(paths.has("/api/nft/upgrade/{id}/burn-confirmation")).isTrue();
    }

    @Test
    void aHolderSeesTheirCurrentNftAndItsTier() {
        Holder holder = holders.qualifiedForTier2();
        JsonNode mine = json(get(http, holder.userId(), "/api/v1/nft/mine"));
        assertThat(mine.get("mintAddress").asString()).isEqualTo(holder.nftMint());
        assertThat(mine.get("tier").get("level").asInt()).isEqualTo(1);
        assertProblem(get(http, "nobody-" + UUID.randomUUID(), "/api/v1/nft/mine"), 404, "no active NFT");
    }

    @Test
    void tiersAreListedInLevelOrder() {
        JsonNode tiers = json(get(http, "anyone", "/api/v1/nft/tiers"));
        assertThat(tiers).hasSize(5);
        assertThat(tiers.get(0).get("level").asInt()).isEqualTo(1);
        assertThat(tiers.get(1).get("requirements")).hasSize(2);
    }

    private static String borshString(ByteBuffer data) {
        byte[] bytes = new byte[data.getInt()];
        data.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void anUpgradeStartedAndConfirmedOnTheUnversionedPathsCompletes() {
        Holder holder = holders.qualifiedForTier2();
        HttpResponse<String> started =
                http.sendAs("POST", "/api/nft/upgrade", holder.userId(), "", "{\"targetLevel\":2}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = json(started).get("upgradeId").asString();
        String signature =
                signAndLand(RPC, holder, json(started).get("burnTransaction").asString());
        HttpResponse<String> confirmed = http.sendAs(
                "POST",
                "/api/nft/upgrade/" + id + "/burn-confirmation",
                holder.userId(),
                "",
                "{\"signature\":\"" + signature + "\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> json(get(http, holder.userId(), "/api/nft/upgrade/" + id))
                                .get("status")
                                .asString(),
                        "completed"::equals);
    }

    static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        if (detail != null && !detail.isEmpty()) {
            assertThat(json(response).get("detail").asString()).contains(detail);
        }
    }

    static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
