package com.aiw3.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local Solana node (LiteSVM behind JSON-RPC, {@code deploy/solana-local}) and the development keys
 * it generated on first start: the system wallet (given to upgrade-service as its secret) and the
 * development wallet holding a tier-1 NFT.
 */
public final class LocalChain {

    static final int RPC_PORT = 8899;
    static final int IPFS_PORT = 5001;
    static final String DEV_USER = "dev-user";

    public record DevKeys(String systemSecretKey, String devWallet, String devNftMint) {}

    private LocalChain() {}

    static DevKeys start(Path repo, Path work, Processes processes) throws IOException, InterruptedException {
        return start(repo, work.resolve("solana"), processes, RPC_PORT, IPFS_PORT);
    }

    /** Starts the node with its state in {@code state} (kept across starts) and returns its development keys. */
    public static DevKeys start(Path repo, Path state, Processes processes, int rpcPort, int ipfsPort)
            throws IOException, InterruptedException {
        Path server = repo.resolve("deploy/solana-local/server.mjs");
        processes.start(
                "solana-local",
                List.of(
                        "node",
                        server.toString(),
                        "--port",
                        Integer.toString(rpcPort),
                        "--ipfs-port",
                        Integer.toString(ipfsPort),
                        "--state",
                        state.toString()),
                Map.of());
        Waits.untilPortOpen("solana-local", rpcPort, 30);
        String keys = Files.readString(state.resolve("dev-keys.json"));
        return new DevKeys(
                field(keys, "system", "secretKey"), field(keys, "devWallet", "publicKey"), first(keys, "mint"));
    }

    static Map<String, String> upgradeServiceEnv(DevKeys keys) {
        return upgradeServiceEnv(keys, "http://127.0.0.1:" + RPC_PORT, "http://127.0.0.1:" + IPFS_PORT);
    }

    /** What upgrade-service needs to run against the node: its URLs, the system key, the development holder. */
    public static Map<String, String> upgradeServiceEnv(DevKeys keys, String rpcUrl, String ipfsUrl) {
        return Map.of(
                "AIW3_SOLANA_RPC_URL",
                rpcUrl,
                "AIW3_IPFS_API_URL",
                ipfsUrl,
                // The node's path gateway serves the artwork to the browser too.
                "AIW3_IPFS_GATEWAY_URL",
                ipfsUrl,
                "AIW3_SOLANA_SYSTEM_WALLET_KEY",
                keys.systemSecretKey(),
                "AIW3_UPGRADE_DEV_SEED_USER_ID",
                DEV_USER,
                "AIW3_UPGRADE_DEV_SEED_WALLET",
                keys.devWallet(),
                "AIW3_UPGRADE_DEV_SEED_NFT_MINT",
                keys.devNftMint(),
                // LiteSVM ships the SPL programs but not Metaplex Token Metadata. (The environment name
                // of a dashed property drops the dash: metaplex-metadata -> METAPLEXMETADATA.)
                "AIW3_UPGRADE_SOLANA_METAPLEXMETADATA",
                "false");
    }

    private static String field(String json, String object, String name) {
        Matcher m = Pattern.compile("\"" + object + "\"\\s*:\\s*\\{[^}]*\"" + name + "\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("dev-keys.json has no " + object + "." + name);
        }
        return m.group(1);
    }

    private static String first(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("dev-keys.json has no " + name);
        }
        return m.group(1);
    }
}
