package com.aiw3.upgrade.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.p2p.solanaj.programs.TokenProgram;
import org.p2p.solanaj.utils.Base58;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Solana JSON-RPC at the protocol level (WireMock). Transactions are real: the burn is signed by the
 * test's wallet key, and what the service sends is decoded from its wire bytes ({@link WireTransaction}).
 */
public final class SolanaRpcStub implements AutoCloseable {

    public static final long MINT_RENT = 1_461_600;
    public static final long LAST_VALID_BLOCK_HEIGHT = 1150;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The token accounts of the stubbed cluster, by address: every holder the tests seed holds its NFT in
     * its wallet's associated token account, as a minted NFT is. Shared by every stub in the JVM and kept
     * across {@link #reset()} (each holder is a fresh wallet and mint, so tests do not see each other's).
     */
    private static final Map<String, byte[]> TOKEN_ACCOUNTS = new java.util.concurrent.ConcurrentHashMap<>();

    private final WireMockServer server;
    private final String blockhash = Base58.encode(randomBytes(32));
    private final ChainState chain = new ChainState();
    private volatile int minDelay;
    private volatile int maxDelay;

    public SolanaRpcStub() {
        server = new WireMockServer(options().dynamicPort().containerThreads(64).extensions(chain));
        server.start();
        reset();
    }

    public String url() {
        return server.baseUrl();
    }

    public String blockhash() {
        return blockhash;
    }

    /**
     * Back to a healthy, empty cluster: sends land at once (confirmed), and the chain remembers which
     * signatures landed and which accounts they created, as a node would.
     */
    public void reset() {
        server.resetAll();
        chain.clear();
        answer(
                "getLatestBlockhash",
                Map.of(
                        "context",
                        Map.of("slot", 1000),
                        "value",
                        Map.of("blockhash", blockhash, "lastValidBlockHeight", LAST_VALID_BLOCK_HEIGHT)),
                1);
        answer("getMinimumBalanceForRentExemption", MINT_RENT, 1);
        blockHeight(1000);
        for (String method : List.of("sendTransaction", "getSignatureStatuses", "getAccountInfo", "getTransaction")) {
            server.stubFor(rpc(method, 10).willReturn(delayed(aResponse()).withTransformers(ChainState.NAME)));
        }
    }

    /**
     * The cluster's block height from now on; the blockhash this node hands out is valid up to block height
     * {@value #LAST_VALID_BLOCK_HEIGHT}.
     */
    public void blockHeight(long height) {
        answer("getBlockHeight", height, 1);
    }

    /** {@code wallet}'s associated token account holds the NFT {@code mint} (amount 1). */
    public static void holds(String wallet, String mint) {
        TOKEN_ACCOUNTS.put(Holders.associatedTokenAccount(wallet, mint), tokenAccount(mint, wallet, 1));
    }

    /**
     * The NFT left {@code wallet}: an SPL transfer to another wallet leaves the associated token account
     * in place with amount 0, as on a cluster.
     */
    public static void transferredAway(String wallet, String mint) {
        TOKEN_ACCOUNTS.put(Holders.associatedTokenAccount(wallet, mint), tokenAccount(mint, wallet, 0));
    }

    /** SPL Token account layout, 165 bytes: mint, owner, amount (u64 LE), delegate none, initialised. */
    private static byte[] tokenAccount(String mint, String owner, long amount) {
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(165).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        data.put(Base58.decode(mint)).put(Base58.decode(owner)).putLong(amount);
        data.put(108, (byte) 1);
        return data.array();
    }

    /** The node is down: every call fails at the connection, as a node that went away does. */
    public void down() {
        server.stubFor(post(urlEqualTo("/"))
                .atPriority(1)
                .willReturn(
                        aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
    }

    /** Sends fail as a node answers when it cannot take the transaction. */
    public void refuseSends(String message) {
        server.stubFor(rpc("sendTransaction", 5)
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(json(Map.of(
                                "jsonrpc", "2.0", "id", 1, "error", Map.of("code", -32002, "message", message))))));
    }

    /** Sends land on chain at once but the node's answer takes {@code delayMillis} to arrive. */
    public void slowSends(int delayMillis) {
        server.stubFor(rpc("sendTransaction", 5)
                .willReturn(aResponse().withFixedDelay(delayMillis).withTransformers(ChainState.NAME)));
    }

    /** Sends reach the node but never land (dropped), and the answer takes {@code delayMillis}. */
    public void dropSends(int delayMillis) {
        server.stubFor(rpc("sendTransaction", 5)
                .willReturn(result(Base58.encode(randomBytes(64))).withFixedDelay(delayMillis)));
    }

    /** Sends land at once again (keeps the chain's state and the request journal). */
    public void normalSends() {
        server.stubFor(rpc("sendTransaction", 5).willReturn(aResponse().withTransformers(ChainState.NAME)));
    }

    public boolean accountCreated(String address) {
        return chain.accounts.contains(address);
    }

    /** The node forgets its signature-status history (as nodes do after ~150 slots without history). */
    public void forgetStatuses() {
        chain.landed.clear();
    }

    /**
     * The node's {@code getTransaction} answer for a landed transaction, built from its wire bytes, with
     * the token balance of {@code tokenAccount} for {@code mint} going from {@code before} to {@code after}.
     */
    public void landed(WireTransaction tx, String tokenAccount, String mint, long before, long after, Object err) {
        int index = tx.accountKeys().indexOf(tokenAccount);
        List<Object> instructions = new ArrayList<>();
        for (var ix : tx.instructions()) {
            Map<String, Object> instruction = new LinkedHashMap<>();
            instruction.put("programIdIndex", ix.programIdIndex());
            instruction.put("accounts", ix.accounts());
            instruction.put("data", Base58.encode(ix.data()));
            instruction.put("stackHeight", null);
            instructions.add(instruction);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("err", err);
        meta.put("fee", 5000);
        meta.put("innerInstructions", List.of());
        meta.put("logMessages", List.of("Program " + TokenProgram.PROGRAM_ID + " invoke [1]"));
        meta.put("preBalances", tx.accountKeys().stream().map(k -> 2_039_280L).toList());
        meta.put("postBalances", tx.accountKeys().stream().map(k -> 2_039_280L).toList());
        meta.put("preTokenBalances", index < 0 ? List.of() : List.of(tokenBalance(index, mint, tx.feePayer(), before)));
        meta.put("postTokenBalances", index < 0 ? List.of() : List.of(tokenBalance(index, mint, tx.feePayer(), after)));
        meta.put("status", err == null ? withNull(Map.of(), "Ok") : Map.of("Err", err));
        Map<String, Object> result = Map.of(
                "slot",
                4242,
                "blockTime",
                1_790_000_000,
                "version",
                "legacy",
                "meta",
                meta,
                "transaction",
                Map.of(
                        "signatures",
                        List.of(tx.signature()),
                        "message",
                        Map.of(
                                "accountKeys",
                                tx.accountKeys(),
                                "header",
                                Map.of(
                                        "numRequiredSignatures", tx.requiredSignatures(),
                                        "numReadonlySignedAccounts", tx.readonlySigned(),
                                        "numReadonlyUnsignedAccounts", tx.readonlyUnsigned()),
                                "instructions",
                                instructions,
                                "recentBlockhash",
                                tx.recentBlockhash())));
        chain.transactions.put(tx.signature(), result);
    }

    /**
     * The node's {@code getTransaction} answer for {@code signature}, as recorded from a cluster: a JSON
     * file under {@code src/test/resources/rpc/} with {@code ${name}} placeholders filled from
     * {@code values}.
     */
    public void recordedTransaction(String signature, String resource, Map<String, String> values) {
        String text;
        try (var in = SolanaRpcStub.class.getResourceAsStream("/rpc/" + resource)) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalArgumentException("no recorded response " + resource, e);
        }
        for (var value : values.entrySet()) {
            text = text.replace("${" + value.getKey() + "}", value.getValue());
        }
        chain.transactions.put(signature, JSON.readValue(text, Map.class));
    }

    private static Map<String, Object> tokenBalance(int index, String mint, String owner, long amount) {
        Map<String, Object> ui = new LinkedHashMap<>();
        ui.put("amount", Long.toString(amount));
        ui.put("decimals", 0);
        ui.put("uiAmount", amount == 0 ? null : (double) amount);
        ui.put("uiAmountString", Long.toString(amount));
        return Map.of(
                "accountIndex",
                index,
                "mint",
                mint,
                "owner",
                owner,
                "programId",
                TokenProgram.PROGRAM_ID.toBase58(),
                "uiTokenAmount",
                ui);
    }

    /** From now on every RPC answer takes between {@code minMillis} and {@code maxMillis}, as a hosted node's. */
    public void latency(int minMillis, int maxMillis) {
        this.minDelay = minMillis;
        this.maxDelay = maxMillis;
        reset();
    }

    /** Every transaction the service sent, decoded. */
    public List<WireTransaction> sent() {
        return server
                .findAll(postRequestedFor(urlEqualTo("/"))
                        .withRequestBody(matchingJsonPath("$.method", equalTo("sendTransaction"))))
                .stream()
                .map(request -> JSON.readTree(request.getBodyAsString()))
                .map(body ->
                        WireTransaction.fromBase64(body.get("params").get(0).asString()))
                .toList();
    }

    public int calls(String method) {
        return server.findAll(postRequestedFor(urlEqualTo("/"))
                        .withRequestBody(matchingJsonPath("$.method", equalTo(method))))
                .size();
    }

    public Optional<JsonNode> lastCall(String method) {
        var calls = server.findAll(
                postRequestedFor(urlEqualTo("/")).withRequestBody(matchingJsonPath("$.method", equalTo(method))));
        return calls.isEmpty()
                ? Optional.empty()
                : Optional.of(JSON.readTree(calls.getLast().getBodyAsString()));
    }

    private void answer(String method, Object result, int priority) {
        server.stubFor(rpc(method, priority).willReturn(delayed(result(result))));
    }

    private com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder delayed(
            com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        return maxDelay > 0 ? response.withUniformRandomDelay(minDelay, maxDelay) : response;
    }

    private static MappingBuilder rpc(String method, int priority) {
        return post(urlEqualTo("/"))
                .atPriority(priority)
                .withRequestBody(matchingJsonPath("$.method", equalTo(method)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder result(Object result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("result", result);
        body.put("id", 1);
        return aResponse().withHeader("Content-Type", "application/json").withBody(json(body));
    }

    /**
     * The little chain state a node has for these tests: signatures that landed and accounts they
     * created. A second transaction creating an existing account fails preflight, as on Solana.
     */
    static final class ChainState implements ResponseDefinitionTransformerV2 {
        static final String NAME = "solana-chain";
        private final java.util.Set<String> landed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final java.util.Set<String> accounts = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final Map<String, Object> transactions = new java.util.concurrent.ConcurrentHashMap<>();

        void clear() {
            landed.clear();
            accounts.clear();
            transactions.clear();
        }

        @Override
        @SuppressWarnings("unchecked")
        public com.github.tomakehurst.wiremock.http.ResponseDefinition transform(
                com.github.tomakehurst.wiremock.stubbing.ServeEvent event) {
            JsonNode request = JSON.readTree(event.getRequest().getBodyAsString());
            JsonNode params = request.get("params");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("jsonrpc", "2.0");
            body.put("id", request.get("id"));
            switch (request.get("method").asString()) {
                case "sendTransaction" -> {
                    WireTransaction tx =
                            WireTransaction.fromBase64(params.get(0).asString());
                    String created = createdAccount(tx);
                    synchronized (this) {
                        if (created != null && accounts.contains(created)) {
                            body.put(
                                    "error",
                                    Map.of(
                                            "code",
                                            -32002,
                                            "message",
                                            "Transaction simulation failed: Error processing Instruction 0: custom"
                                                    + " program error: 0x0 (account already in use)"));
                        } else {
                            landed.add(tx.signature());
                            if (created != null) {
                                accounts.add(created);
                            }
                            body.put("result", tx.signature());
                        }
                    }
                }
                case "getSignatureStatuses" -> {
                    List<Object> values = new ArrayList<>();
                    for (JsonNode signature : params.get(0)) {
                        values.add(
                                landed.contains(signature.asString())
                                        ? withNull(
                                                Map.of("slot", 1001, "confirmationStatus", "confirmed"),
                                                "confirmations",
                                                "err")
                                        : null);
                    }
                    body.put("result", Map.of("context", Map.of("slot", 1001), "value", values));
                }
                case "getAccountInfo" -> {
                    byte[] token = TOKEN_ACCOUNTS.get(params.get(0).asString());
                    Object value = token != null
                            ? Map.of(
                                    "data",
                                    List.of(java.util.Base64.getEncoder().encodeToString(token), "base64"),
                                    "executable",
                                    false,
                                    "lamports",
                                    2_039_280L,
                                    "owner",
                                    TokenProgram.PROGRAM_ID.toBase58(),
                                    "rentEpoch",
                                    0)
                            : accounts.contains(params.get(0).asString())
                                    ? Map.of(
                                            "data",
                                            List.of("", "base64"),
                                            "executable",
                                            false,
                                            "lamports",
                                            MINT_RENT,
                                            "owner",
                                            TokenProgram.PROGRAM_ID.toBase58(),
                                            "rentEpoch",
                                            0)
                                    : null;
                    body.put("result", withNull(Map.of("context", Map.of("slot", 1001)), "value"));
                    if (value != null) {
                        ((Map<String, Object>) body.get("result")).put("value", value);
                    }
                }
                case "getTransaction" ->
                    body.put("result", transactions.get(params.get(0).asString()));
                default -> throw new IllegalArgumentException("not stubbed: " + request.get("method"));
            }
            return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.like(event.getResponseDefinition())
                    .but()
                    .withHeader("Content-Type", "application/json")
                    .withBody(json(body))
                    .build();
        }

        /** The account a System createAccount (first instruction) makes, if the transaction has one. */
        private static String createdAccount(WireTransaction tx) {
            var first = tx.instructions().getFirst();
            boolean create = tx.program(first).equals(org.p2p.solanaj.programs.SystemProgram.PROGRAM_ID.toBase58())
                    && first.data().length >= 4
                    && first.data()[0] == 0;
            return create ? tx.account(first, 1) : null;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    private static Map<String, Object> withNull(Map<String, Object> map, String... nullKeys) {
        Map<String, Object> out = new LinkedHashMap<>(map);
        for (String key : nullKeys) {
            out.put(key, null);
        }
        return out;
    }

    private static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    public static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() {
        server.stop();
    }
}
