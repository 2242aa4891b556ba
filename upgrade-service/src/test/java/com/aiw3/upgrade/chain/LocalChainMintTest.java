package com.aiw3.upgrade.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.upgrade.UpgradeProperties;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2p.solanaj.core.Account;
import org.p2p.solanaj.core.PublicKey;
import org.p2p.solanaj.core.Transaction;
import org.p2p.solanaj.programs.TokenProgram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mint executed by the real SPL Token program: the local LiteSVM node ({@code deploy/solana-local})
 * runs the transaction {@link SolanaChain#signMint} signs, and the chain is then asked what it holds.
 */
class LocalChainMintTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path state;

    static Process node;
    static String rpcUrl;
    static String systemKey;

    @BeforeAll
    static void startNode() throws Exception {
        Path solanaLocal =
                Path.of("..", "deploy", "solana-local").toAbsolutePath().normalize();
        if (!Files.isDirectory(solanaLocal.resolve("node_modules/litesvm"))) {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund")
                    .directory(solanaLocal.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(state.resolve("npm.log").toFile())
                    .start();
            assertThat(npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0)
                    .as("npm install in deploy/solana-local: %s", state.resolve("npm.log"))
                    .isTrue();
        }
        int port = freePort();
        node = new ProcessBuilder(
                        "node",
                        solanaLocal.resolve("server.mjs").toString(),
                        "--port",
                        Integer.toString(port),
                        "--ipfs-port",
                        Integer.toString(freePort()),
                        "--state",
                        state.toString())
                .redirectErrorStream(true)
                .redirectOutput(new File(state.toFile(), "node.log"))
                .start();
        rpcUrl = "http://127.0.0.1:" + port;
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> "ok".equals(rpc("getHealth", "[]").get("result").asString()));
        Matcher m = Pattern.compile("\"system\"\\s*:\\s*\\{[^}]*\"secretKey\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(Files.readString(state.resolve("dev-keys.json")));
        assertThat(m.find()).isTrue();
        systemKey = m.group(1);
    }

    @AfterAll
    static void stopNode() throws InterruptedException {
        if (node != null) {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMintedNftHasSupplyOneAndNoMintOrFreezeAuthorityAndCannotBeMintedAgain() throws Exception {
        SolanaChain chain = new SolanaChain(settings(systemKey));
        UUID upgrade = UUID.randomUUID();
        String recipient = new Account().getPublicKeyBase58();

        SignedMint mint = chain.signMint(
                upgrade, recipient, new SolanaChain.NftName("AIW3 Silver", "AIW3"), "ipfs://bafkreitest");
        chain.send(mint);
        assertThat(chain.awaitConfirmation(mint)).hasValue(mint.signature());

        // SPL Mint layout (82 bytes): COption<Pubkey> mint_authority, u64 supply, u8 decimals,
        // bool is_initialized, COption<Pubkey> freeze_authority.
        JsonNode account = rpc("getAccountInfo", "[\"" + mint.mintAddress() + "\",{\"encoding\":\"base64\"}]")
                .get("result")
                .get("value");
        assertThat(account.get("owner").asString()).isEqualTo(TokenProgram.PROGRAM_ID.toBase58());
        ByteBuffer data = ByteBuffer.wrap(
                        Base64.getDecoder().decode(account.get("data").get(0).asString()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.capacity()).isEqualTo(82);
        assertThat(data.getInt(0)).as("mint authority: None").isZero();
        assertThat(data.getLong(36)).as("supply").isEqualTo(1);
        assertThat(data.get(44)).as("decimals").isZero();
        assertThat(data.get(45)).as("initialized").isEqualTo((byte) 1);
        assertThat(data.getInt(46)).as("freeze authority: None").isZero();

        // The hot key can no longer mint a second token of it.
        Account system = new Account(org.p2p.solanaj.utils.Base58.decode(systemKey));
        PublicKey mintKey = new PublicKey(mint.mintAddress());
        Transaction again = new Transaction();
        again.addInstruction(TokenProgram.mintTo(
                mintKey,
                SolanaChain.associatedTokenAccount(new PublicKey(recipient), mintKey),
                system.getPublicKey(),
                1));
        again.setRecentBlockHash(rpc("getLatestBlockhash", "[]")
                .get("result")
                .get("value")
                .get("blockhash")
                .asString());
        again.sign(List.of(system));
        JsonNode refused = rpc(
                "sendTransaction",
                "[\"" + Base64.getEncoder().encodeToString(again.serialize()) + "\",{\"encoding\":\"base64\"}]");
        assertThat(refused.has("error")).as(refused.toString()).isTrue();
        assertThat(refused.get("error").get("message").asString()).contains("simulation failed");
        JsonNode after = rpc("getAccountInfo", "[\"" + mint.mintAddress() + "\",{\"encoding\":\"base64\"}]");
        assertThat(ByteBuffer.wrap(Base64.getDecoder()
                                .decode(after.get("result")
                                        .get("value")
                                        .get("data")
                                        .get(0)
                                        .asString()))
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong(36))
                .as("supply after the refused MintTo")
                .isEqualTo(1);
    }

    @Test
    void aWalletHoldsItsNftUntilAnSplTransferTakesItAway() throws Exception {
        SolanaChain chain = new SolanaChain(settings(systemKey));
        Account holder = new Account();
        SignedMint mint = chain.signMint(
                UUID.randomUUID(),
                holder.getPublicKeyBase58(),
                new SolanaChain.NftName("AIW3 Bronze", "AIW3"),
                "ipfs://bafkreitest");
        chain.send(mint);
        assertThat(chain.awaitConfirmation(mint)).hasValue(mint.signature());

        assertThat(chain.holds(holder.getPublicKeyBase58(), mint.mintAddress())).isTrue();
        Account other = new Account();
        assertThat(chain.holds(other.getPublicKeyBase58(), mint.mintAddress()))
                .as("a wallet without an account for the mint")
                .isFalse();

        // The holder sends the NFT to another wallet, paying the fee and the new account's rent.
        rpc("requestAirdrop", "[\"" + holder.getPublicKeyBase58() + "\", 1000000000]");
        PublicKey mintKey = new PublicKey(mint.mintAddress());
        Transaction transfer = new Transaction();
        transfer.addInstruction(org.p2p.solanaj.programs.AssociatedTokenProgram.createIdempotent(
                holder.getPublicKey(), other.getPublicKey(), mintKey));
        transfer.addInstruction(TokenProgram.transfer(
                SolanaChain.associatedTokenAccount(holder.getPublicKey(), mintKey),
                SolanaChain.associatedTokenAccount(other.getPublicKey(), mintKey),
                1,
                holder.getPublicKey()));
        transfer.setRecentBlockHash(rpc("getLatestBlockhash", "[]")
                .get("result")
                .get("value")
                .get("blockhash")
                .asString());
        transfer.sign(List.of(holder));
        JsonNode sent = rpc(
                "sendTransaction",
                "[\"" + Base64.getEncoder().encodeToString(transfer.serialize()) + "\",{\"encoding\":\"base64\"}]");
        assertThat(sent.has("result")).as(sent.toString()).isTrue();

        assertThat(chain.holds(holder.getPublicKeyBase58(), mint.mintAddress()))
                .as("the holder's account is still there, with 0")
                .isFalse();
        assertThat(chain.holds(other.getPublicKeyBase58(), mint.mintAddress())).isTrue();
    }

    @Test
    void aMintWithAPriorityFeeRunsOnTheRealRuntime() throws Exception {
        SolanaChain chain = new SolanaChain(settings(systemKey, rpcUrl, 10_000));
        SignedMint mint = chain.signMint(
                UUID.randomUUID(),
                new Account().getPublicKeyBase58(),
                new SolanaChain.NftName("AIW3 Gold", "AIW3"),
                "ipfs://bafkreitest");
        chain.send(mint);
        assertThat(chain.awaitConfirmation(mint)).hasValue(mint.signature());

        JsonNode landed = rpc("getTransaction", "[\"" + mint.signature() + "\",{\"encoding\":\"json\"}]")
                .get("result");
        JsonNode message = landed.get("transaction").get("message");
        int program = message.get("instructions").get(0).get("programIdIndex").asInt();
        assertThat(message.get("accountKeys").get(program).asString())
                .isEqualTo(org.p2p.solanaj.programs.ComputeBudgetProgram.PROGRAM_ID.toBase58());
        assertThat(landed.get("meta").get("err").isNull()).isTrue();
    }

    @Test
    void aNodeOutOfReachIsUnavailableNeverANftThatLeft() throws Exception {
        SolanaChain down = new SolanaChain(settings(systemKey, "http://127.0.0.1:" + freePort()));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> down.holds(new Account().getPublicKeyBase58(), new Account().getPublicKeyBase58()))
                .isInstanceOf(ChainUnavailableException.class);
    }

    static UpgradeProperties.Solana settings(String key) {
        return settings(key, rpcUrl);
    }

    static UpgradeProperties.Solana settings(String key, String url) {
        return settings(key, url, 0);
    }

    static UpgradeProperties.Solana settings(String key, String url, int computeUnitPrice) {
        return new UpgradeProperties.Solana(
                URI.create(url),
                key,
                Duration.ofSeconds(10),
                Duration.ofMillis(50),
                Duration.ofSeconds(1),
                Duration.ofSeconds(20),
                Duration.ofSeconds(10),
                false,
                null,
                computeUnitPrice);
    }

    static JsonNode rpc(String method, String params) throws IOException, InterruptedException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(rpcUrl))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
