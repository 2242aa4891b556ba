package com.aiw3.upgrade.chain;

import com.aiw3.upgrade.UpgradeProperties;
import io.micrometer.core.instrument.binder.okhttp3.OkHttpObservationInterceptor;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.p2p.solanaj.core.AccountMeta;
import org.p2p.solanaj.core.PublicKey;
import org.p2p.solanaj.core.TransactionInstruction;
import org.p2p.solanaj.programs.AssociatedTokenProgram;
import org.p2p.solanaj.programs.ComputeBudgetProgram;
import org.p2p.solanaj.programs.MemoProgram;
import org.p2p.solanaj.programs.SystemProgram;
import org.p2p.solanaj.programs.TokenProgram;
import org.p2p.solanaj.rpc.RpcClient;
import org.p2p.solanaj.rpc.RpcException;
import org.p2p.solanaj.rpc.types.LatestBlockhash;
import org.p2p.solanaj.utils.Base58;

/**
 * The upgrade's view of Solana, over JSON-RPC with solanaj: what the wallet signs, what the chain
 * proves, and what the system wallet mints.
 *
 * <p>Exactly one mint per upgrade comes from the chain itself: the new mint's keypair is derived from the
 * system key and the upgrade id, so every attempt for an upgrade creates the same account, and the
 * System program refuses to create an account twice.
 */
public class SolanaChain {

    private static final long MINT_ACCOUNT_SIZE = 82;
    private static final int TOKEN_BURN = 8;
    private static final int TOKEN_BURN_CHECKED = 15;
    private static final byte TOKEN_SET_AUTHORITY = 6;
    private static final byte AUTHORITY_MINT_TOKENS = 0;
    private static final byte AUTHORITY_FREEZE_ACCOUNT = 1;
    private static final Set<String> LANDED = Set.of("confirmed", "finalized");

    private final RpcClient rpc;
    private final Ed25519Key system;
    /** Null when Metaplex metadata is off. */
    private final @Nullable PublicKey updateAuthority;

    private final UpgradeProperties.Solana settings;
    private final ReentrantLock blockhashLock = new ReentrantLock();
    /** The last blockhash fetched, null before the first fetch. */
    private volatile @Nullable Blockhash blockhash;

    /** The rent of a mint account, null until it is first asked for. */
    private volatile @Nullable Long mintRent;

    public SolanaChain(UpgradeProperties.Solana settings) {
        this(settings, ObservationRegistry.NOOP);
    }

    /** Every RPC call is observed in {@code observations}, as {@code http.client.requests}. */
    public SolanaChain(UpgradeProperties.Solana settings, ObservationRegistry observations) {
        this.settings = settings;
        OkHttpClient http = new OkHttpClient.Builder()
                .callTimeout(settings.requestTimeout())
                .addInterceptor(OkHttpObservationInterceptor.builder(observations, RpcObservationConvention.NAME)
                        .observationConvention(new RpcObservationConvention())
                        .build())
                .build();
        this.rpc = new RpcClient(settings.rpcUrl().toString(), http);
        this.system = systemWallet(settings.systemWalletKey());
        this.updateAuthority = updateAuthority(settings, system);
    }

    private static @Nullable PublicKey updateAuthority(UpgradeProperties.Solana settings, Ed25519Key system) {
        String key = settings.metadataUpdateAuthority();
        if (key == null || key.isBlank()) {
            if (settings.metaplexMetadata()) {
                throw new IllegalArgumentException(
                        "aiw3.upgrade.solana.metadata-update-authority is required when metaplex-metadata is on");
            }
            return null;
        }
        if (!isAddress(key)) {
            throw new IllegalArgumentException("aiw3.upgrade.solana.metadata-update-authority is not a public key");
        }
        if (key.equals(system.publicKey().toBase58())) {
            throw new IllegalArgumentException(
                    "aiw3.upgrade.solana.metadata-update-authority must not be the system wallet (the hot key)");
        }
        return new PublicKey(key);
    }

    private static Ed25519Key systemWallet(String base58SecretKey) {
        byte[] secret;
        try {
            secret = Base58.decode(base58SecretKey);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("aiw3.upgrade.solana.system-wallet-key is not base58", e);
        }
        if (secret.length != 64) {
            throw new IllegalArgumentException(
                    "aiw3.upgrade.solana.system-wallet-key must be a 64-byte secret key, was " + secret.length);
        }
        try {
            return Ed25519Key.fromSecretKey(secret);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("aiw3.upgrade.solana.system-wallet-key: " + e.getMessage(), e);
        }
    }

    public String systemWallet() {
        return system.publicKey().toBase58();
    }

    public static boolean isSignature(String value) {
        return decodesTo(value, 64);
    }

    public static boolean isAddress(String value) {
        return decodesTo(value, 32);
    }

    private static boolean decodesTo(String value, int length) {
        if (value == null || value.isBlank() || value.length() > 100) {
            return false;
        }
        try {
            return Base58.decode(value).length == length;
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- burn -------------------------------------------------------------------------------------

    /** The unsigned SPL burn of one token of {@code nftMint} from the wallet's associated account. */
    public BurnTransaction prepareBurn(String wallet, String nftMint) {
        Blockhash recent = blockhash();
        PublicKey owner = new PublicKey(wallet);
        PublicKey mint = new PublicKey(nftMint);
        FeePayerMessage message = new FeePayerMessage(owner);
        message.addInstruction(TokenProgram.burn(associatedTokenAccount(owner, mint), mint, owner, 1));
        message.setRecentBlockHash(recent.hash());
        // One empty signature slot for the wallet, then the message.
        byte[] wire = message.wire(List.of());
        return new BurnTransaction(Base64.getEncoder().encodeToString(wire), recent.hash(), recent.lastValidHeight());
    }

    /**
     * Fetches the transaction at confirmed commitment and checks it is a successful burn of exactly one
     * token of {@code nftMint} from {@code wallet}'s associated token account, signed by the wallet.
     *
     * <p>Legacy and version 0 transactions: a v0 message may reference accounts through address lookup
     * tables, which the node resolves in {@code meta.loadedAddresses}; instruction and token-balance
     * indexes run over the static keys, then the loaded writable, then the loaded read-only addresses.
     * A transaction that failed on chain is this upgrade's failed burn only if it is signed by the wallet
     * and its instructions are this NFT's burn; anyone else's failed transaction is {@code NotThisBurn}.
     */
    public BurnCheck verifyBurn(String signature, String wallet, String nftMint) {
        Map<?, ?> tx = call(
                "getTransaction",
                List.of(
                        signature,
                        Map.of(
                                "encoding", "json",
                                "commitment", "confirmed",
                                "maxSupportedTransactionVersion", 0)),
                Map.class);
        if (tx == null
                || !(tx.get("transaction") instanceof Map<?, ?> transaction)
                || !(tx.get("meta") instanceof Map<?, ?> meta)
                || !(transaction.get("message") instanceof Map<?, ?> message)) {
            return new BurnCheck.NotFound();
        }
        try {
            return verifyBurn(tx, meta, message, wallet, nftMint);
        } catch (RuntimeException e) {
            // A shape this check does not know (a future transaction version, a truncated answer): not
            // a burn we can prove, never a server error.
            return new BurnCheck.NotThisBurn("the transaction is not a burn this service can verify");
        }
    }

    private BurnCheck verifyBurn(Map<?, ?> tx, Map<?, ?> meta, Map<?, ?> message, String wallet, String nftMint) {
        List<String> keys = new ArrayList<>(strings(message.get("accountKeys")));
        if (meta.get("loadedAddresses") instanceof Map<?, ?> loaded) {
            keys.addAll(strings(loaded.get("writable")));
            keys.addAll(strings(loaded.get("readonly")));
        }
        int signers = number(((Map<?, ?>) Objects.requireNonNull(message.get("header"))).get("numRequiredSignatures"));
        boolean signedByWallet = keys.subList(0, Math.min(signers, keys.size())).contains(wallet);
        String tokenAccount = associatedTokenAccount(new PublicKey(wallet), new PublicKey(nftMint))
                .toBase58();
        boolean burns = message.get("instructions") instanceof List<?> instructions
                && instructions.stream()
                        .anyMatch(raw ->
                                raw instanceof Map<?, ?> ix && burnsTheNft(ix, keys, tokenAccount, nftMint, wallet));
        if (!signedByWallet) {
            return new BurnCheck.NotThisBurn("the transaction is not signed by your wallet");
        }
        if (!burns) {
            return new BurnCheck.NotThisBurn("the transaction does not burn your current NFT");
        }
        if (meta.get("err") != null) {
            return new BurnCheck.FailedOnChain(String.valueOf(meta.get("err")));
        }
        int index = keys.indexOf(tokenAccount);
        long before = tokenAmount(meta.get("preTokenBalances"), index, nftMint);
        long after = tokenAmount(meta.get("postTokenBalances"), index, nftMint);
        if (before != 1 || after != 0) {
            return new BurnCheck.NotThisBurn(
                    "the NFT balance went from %d to %d, not from 1 to 0".formatted(before, after));
        }
        return new BurnCheck.Verified(number(tx.get("slot")));
    }

    private static boolean burnsTheNft(
            Map<?, ?> ix, List<String> keys, String tokenAccount, String nftMint, String wallet) {
        int program = number(ix.get("programIdIndex"));
        if (program >= keys.size() || !TokenProgram.PROGRAM_ID.toBase58().equals(keys.get(program))) {
            return false;
        }
        byte[] data = Base58.decode(String.valueOf(ix.get("data")));
        List<?> accounts = ix.get("accounts") instanceof List<?> list ? list : List.of();
        return data.length >= 9
                && (data[0] == TOKEN_BURN || data[0] == TOKEN_BURN_CHECKED)
                && accounts.size() >= 3
                && tokenAccount.equals(key(keys, accounts.get(0)))
                && nftMint.equals(key(keys, accounts.get(1)))
                && wallet.equals(key(keys, accounts.get(2)));
    }

    private static String key(List<String> keys, Object index) {
        int i = number(index);
        return i >= 0 && i < keys.size() ? keys.get(i) : "";
    }

    private static int number(@Nullable Object value) {
        return ((Number) Objects.requireNonNull(value, "a number the answer must hold")).intValue();
    }

    private static List<String> strings(@Nullable Object value) {
        return value instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of();
    }

    private static long tokenAmount(@Nullable Object balances, int index, String mint) {
        if (!(balances instanceof List<?> list) || index < 0) {
            return 0;
        }
        return list.stream()
                .filter(b -> b instanceof Map<?, ?> m
                        && m.get("accountIndex") instanceof Number i
                        && i.intValue() == index
                        && mint.equals(m.get("mint")))
                .map(b -> ((Map<?, ?>) b).get("uiTokenAmount"))
                .filter(amount -> amount instanceof Map<?, ?>)
                .map(amount -> Long.parseLong(String.valueOf(((Map<?, ?>) amount).get("amount"))))
                .findFirst()
                .orElse(0L);
    }

    // ---- ownership --------------------------------------------------------------------------------

    /** SPL Token account layout: mint (32), owner (32), amount (u64 LE), ..., state at 108; 165 bytes. */
    private static final int TOKEN_ACCOUNT_SIZE = 165;

    private static final int TOKEN_ACCOUNT_STATE = 108;

    /**
     * Whether {@code wallet} still holds the NFT {@code nftMint} where the burn takes it from: its
     * associated token account exists at confirmed commitment, belongs to the SPL Token program, is an
     * initialised account of this mint owned by this wallet, and holds 1. An account that does not exist,
     * was closed, or holds 0 is "not held"; only an unreachable or failing node is an exception
     * ({@link ChainUnavailableException}), so a node outage is never taken for a transfer.
     */
    public boolean holds(String wallet, String nftMint) {
        String account = associatedTokenAccount(new PublicKey(wallet), new PublicKey(nftMint))
                .toBase58();
        Map<?, ?> result = call(
                "getAccountInfo", List.of(account, Map.of("encoding", "base64", "commitment", "confirmed")), Map.class);
        if (result == null || !result.containsKey("value")) {
            throw new ChainUnavailableException("getAccountInfo answered without a value", null);
        }
        if (!(result.get("value") instanceof Map<?, ?> value)) {
            return false;
        }
        if (!TokenProgram.PROGRAM_ID.toBase58().equals(value.get("owner"))
                || !(value.get("data") instanceof List<?> data)
                || data.isEmpty()) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(String.valueOf(data.getFirst()));
        } catch (IllegalArgumentException e) {
            throw new ChainUnavailableException("getAccountInfo answered data that is not base64", e);
        }
        if (bytes.length < TOKEN_ACCOUNT_SIZE || bytes[TOKEN_ACCOUNT_STATE] == 0) {
            return false;
        }
        boolean ofThisMint = Arrays.equals(Arrays.copyOfRange(bytes, 0, 32), Base58.decode(nftMint));
        boolean ofThisWallet = Arrays.equals(Arrays.copyOfRange(bytes, 32, 64), Base58.decode(wallet));
        long amount = java.nio.ByteBuffer.wrap(bytes, 64, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong();
        return ofThisMint && ofThisWallet && amount == 1;
    }

    // ---- mint -------------------------------------------------------------------------------------

    /** The address the upgrade's NFT is minted at, the same for every attempt. */
    public String mintAddressFor(UUID upgradeId) {
        return mintKey(upgradeId).publicKey().toBase58();
    }

    /** HMAC-SHA256(system secret key, "aiw3-upgrade-mint:" + id) as the ed25519 seed of the mint account. */
    private Ed25519Key mintKey(UUID upgradeId) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(system.secretKey(), "HmacSHA256"));
            byte[] seed = hmac.doFinal(("aiw3-upgrade-mint:" + upgradeId).getBytes(StandardCharsets.UTF_8));
            return Ed25519Key.fromSeed(seed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * Signs (but does not send) the mint of the upgrade's NFT to {@code recipient}: create the mint
     * account, initialise it with 0 decimals, create the recipient's associated account, mint 1, create
     * its Metaplex metadata account (name, symbol, URI; updatable only by the configured update
     * authority), remove the mint and freeze authorities (the supply stays 1 for good, and nobody can
     * freeze the holder's token), and a memo that binds the transaction to the upgrade.
     */
    public SignedMint signMint(UUID upgradeId, String recipient, NftName nft, String metadataUri) {
        return signMint(upgradeId, "aiw3-upgrade", recipient, nft, metadataUri);
    }

    /**
     * Signs the mint of the NFT of an upgrade or a claim ({@code processId}), its memo tagged {@code memoTag}
     * ({@code aiw3-upgrade}, {@code aiw3-claim}); otherwise as {@link #signMint(UUID, String, NftName, String)}.
     */
    public SignedMint signMint(UUID processId, String memoTag, String recipient, NftName nft, String metadataUri) {
        UUID upgradeId = processId;
        Ed25519Key mint = mintKey(upgradeId);
        PublicKey mintAddress = mint.publicKey();
        PublicKey owner = new PublicKey(recipient);
        PublicKey payer = system.publicKey();
        Blockhash recent = blockhash();
        FeePayerMessage message = new FeePayerMessage(payer);
        if (settings.computeUnitPrice() > 0) {
            message.addInstruction(ComputeBudgetProgram.setComputeUnitPrice(settings.computeUnitPrice()));
        }
        message.addInstruction(SystemProgram.createAccount(
                payer, mintAddress, mintRent(), MINT_ACCOUNT_SIZE, TokenProgram.PROGRAM_ID));
        message.addInstruction(TokenProgram.initializeMint(mintAddress, 0, payer, payer));
        message.addInstruction(AssociatedTokenProgram.createIdempotent(payer, owner, mintAddress));
        message.addInstruction(TokenProgram.mintTo(mintAddress, associatedTokenAccount(owner, mintAddress), payer, 1));
        if (settings.metaplexMetadata()) {
            message.addInstruction(TokenMetadataProgram.createMetadataAccountV3(
                    mintAddress,
                    payer,
                    Objects.requireNonNull(updateAuthority, "required at start while metaplex-metadata is on"),
                    nft.name(),
                    nft.symbol(),
                    metadataUri));
        }
        // After the metadata: creating it needs the mint authority's signature.
        message.addInstruction(removeAuthority(mintAddress, payer, AUTHORITY_MINT_TOKENS));
        message.addInstruction(removeAuthority(mintAddress, payer, AUTHORITY_FREEZE_ACCOUNT));
        message.addInstruction(MemoProgram.writeUtf8(payer, memoTag + " " + upgradeId + " " + metadataUri));
        message.setRecentBlockHash(recent.hash());
        byte[] wire = message.wire(List.of(system, mint));
        String signature = Base58.encode(Arrays.copyOfRange(wire, 1, 65));
        return new SignedMint(
                signature,
                mintAddress.toBase58(),
                recent.hash(),
                recent.lastValidHeight(),
                Base64.getEncoder().encodeToString(wire));
    }

    /**
     * SPL Token {@code SetAuthority} to none: tag 6, the authority type, {@code COption::None}. (solanaj's
     * {@code setAuthority} always writes a new authority.)
     */
    static TransactionInstruction removeAuthority(PublicKey mint, PublicKey currentAuthority, byte type) {
        return new TransactionInstruction(
                TokenProgram.PROGRAM_ID,
                List.of(new AccountMeta(mint, false, true), new AccountMeta(currentAuthority, true, false)),
                new byte[] {TOKEN_SET_AUTHORITY, type, 0});
    }

    /**
     * Sends a signed mint. Preflight is on: a mint whose account already exists, or that would fail, is
     * refused here (solanaj's {@code sendRawTransaction} does not surface JSON-RPC errors, so the call
     * is made directly).
     */
    public void send(SignedMint mint) {
        call("sendTransaction", List.of(mint.base64(), Map.of("encoding", "base64")), String.class);
    }

    /**
     * Waits until the signature is confirmed; empty once it can no longer land: the node's block height
     * (at confirmed commitment) has passed the blockhash's last valid block height, and a last status
     * query does not find it. {@code confirm-timeout} caps the wait on a node whose block height stalls.
     */
    public Optional<String> awaitConfirmation(SignedMint mint) throws InterruptedException {
        Instant deadline = Instant.now().plus(settings.confirmTimeout());
        List<String> signature = List.of(mint.signature());
        while (true) {
            if (landed(signature).isPresent()) {
                return Optional.of(mint.signature());
            }
            if (blockHeight() > mint.lastValidBlockHeight()) {
                // Expired: nothing can land any more, but it may have landed since the query above.
                return landed(signature);
            }
            if (!Instant.now().isBefore(deadline)) {
                return Optional.empty();
            }
            Thread.sleep(settings.confirmPollInterval());
        }
    }

    private long blockHeight() {
        return call("getBlockHeight", List.of(Map.of("commitment", "confirmed")), Long.class);
    }

    /**
     * Whether the upgrade's NFT exists: first by the signatures recorded for it, then by its account
     * (a status the node no longer keeps does not make a mint disappear). With no recorded attempt
     * there is nothing to ask: every attempt is recorded before it is sent, and only this service holds
     * the key of the derived mint account.
     */
    public MintState mintState(String mintAddress, List<String> signatures) {
        if (signatures.isEmpty()) {
            return MintState.notMinted();
        }
        Optional<String> landed = landed(signatures);
        if (landed.isPresent()) {
            return new MintState(true, landed);
        }
        return accountExists(mintAddress) ? new MintState(true, Optional.empty()) : MintState.notMinted();
    }

    @SuppressWarnings("unchecked")
    private Optional<String> landed(List<String> signatures) {
        Map<String, Object> result =
                call("getSignatureStatuses", List.of(signatures, Map.of("searchTransactionHistory", true)), Map.class);
        List<Object> values = result == null ? List.of() : (List<Object>) result.getOrDefault("value", List.of());
        for (int i = 0; i < values.size() && i < signatures.size(); i++) {
            if (values.get(i) instanceof Map<?, ?> status
                    && status.get("err") == null
                    && LANDED.contains(String.valueOf(status.get("confirmationStatus")))) {
                return Optional.of(signatures.get(i));
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    boolean accountExists(String address) {
        Map<String, Object> result = call(
                "getAccountInfo", List.of(address, Map.of("encoding", "base64", "commitment", "confirmed")), Map.class);
        return result != null && result.get("value") != null;
    }

    /** What the token-metadata account names the NFT. */
    public record NftName(String name, String symbol) {}

    // ---- shared -----------------------------------------------------------------------------------

    /**
     * Associated token accounts derived lately, by owner and mint: an upgrade derives its wallet's account of
     * its NFT when it starts, when it prepares the burn and when it verifies it, and each derivation is a
     * search for an off-curve hash (an ed25519 point decompression per bump tried). The address of a pair
     * never changes, so a bounded memo returns the same answer without the search.
     */
    private static final int DERIVED_ACCOUNTS_KEPT = 4096;

    private static final Map<String, String> DERIVED_ACCOUNTS =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > DERIVED_ACCOUNTS_KEPT;
                }
            });

    static PublicKey associatedTokenAccount(PublicKey owner, PublicKey mint) {
        String pair = owner.toBase58() + "/" + mint.toBase58();
        String known = DERIVED_ACCOUNTS.get(pair);
        if (known != null) {
            return new PublicKey(known);
        }
        PublicKey derived = deriveAssociatedTokenAccount(owner, mint);
        DERIVED_ACCOUNTS.put(pair, derived.toBase58());
        return derived;
    }

    private static PublicKey deriveAssociatedTokenAccount(PublicKey owner, PublicKey mint) {
        try {
            return PublicKey.findProgramAddress(
                            List.of(owner.toByteArray(), TokenProgram.PROGRAM_ID.toByteArray(), mint.toByteArray()),
                            AssociatedTokenProgram.PROGRAM_ID)
                    .getAddress();
        } catch (Exception e) {
            throw new IllegalStateException("no associated token address for " + owner + "/" + mint, e);
        }
    }

    private long mintRent() {
        Long rent = mintRent;
        if (rent == null) {
            rent = call("getMinimumBalanceForRentExemption", List.of(MINT_ACCOUNT_SIZE), Long.class);
            mintRent = rent;
        }
        return rent;
    }

    /**
     * A recent blockhash, reused while younger than {@code blockhash-max-age}: a hash is valid for about
     * 150 blocks (~60 s), and one fetch serves every upgrade that starts meanwhile.
     */
    private Blockhash blockhash() {
        Blockhash current = blockhash;
        if (current != null && current.fresh(settings.blockhashMaxAge())) {
            return current;
        }
        blockhashLock.lock();
        try {
            current = blockhash;
            if (current == null || !current.fresh(settings.blockhashMaxAge())) {
                LatestBlockhash latest =
                        call("getLatestBlockhash", List.of(Map.of("commitment", "confirmed")), LatestBlockhash.class);
                current = new Blockhash(
                        latest.getValue().getBlockhash(), latest.getValue().getLastValidBlockHeight(), Instant.now());
                blockhash = current;
            }
            return current;
        } finally {
            blockhashLock.unlock();
        }
    }

    private <T> T call(String method, List<Object> params, Class<T> type) {
        try {
            return rpc.call(method, new ArrayList<>(params), type);
        } catch (RpcException | RuntimeException e) {
            throw new ChainUnavailableException(method + " failed: " + e.getMessage(), e);
        }
    }

    private record Blockhash(String hash, long lastValidHeight, Instant fetchedAt) {
        boolean fresh(Duration maxAge) {
            return fetchedAt.plus(maxAge).isAfter(Instant.now());
        }
    }
}
