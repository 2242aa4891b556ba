package com.aiw3.upgrade;

import com.aiw3.messaging.RetryPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code aiw3.upgrade.*}: the upgrade's timings, retries and the chain and IPFS it talks to.
 *
 * @param burnTimeout         how long the user has to burn and confirm before the upgrade ends as burn_failed
 * @param lease               how long one instance may hold an in-flight upgrade before another takes over
 *                            (recovery)
 * @param sweepInterval       how often expired burns and abandoned in-flight upgrades are looked for
 * @param pipelineConcurrency how many upgrades one instance drives through the post-burn steps at once; the
 *                            rest wait (persisted, leased) so that interactive API calls keep the CPU and
 *                            connections they need
 * @param metadataRetry       retries of the metadata upload to IPFS
 * @param mintRetry           retries of the mint before the upgrade ends as mint_failed_critical
 * @param solana              the cluster the burns are read from and the mints sent to
 * @param ipfs                where the tiers' artwork and the new NFT's metadata are stored
 */
@Validated
@ConfigurationProperties("aiw3.upgrade")
public record UpgradeProperties(
        @NotNull @DefaultValue("5m") Duration burnTimeout,
        @NotNull @DefaultValue("2m") Duration lease,
        @NotNull @DefaultValue("15s") Duration sweepInterval,
        @Min(1) @DefaultValue("32") int pipelineConcurrency,

        @Valid @NotNull @DefaultValue @NestedConfigurationProperty
        RetryPolicy metadataRetry,

        @Valid @NotNull @DefaultValue @NestedConfigurationProperty
        RetryPolicy mintRetry,

        @Valid @NotNull Solana solana,
        @Valid @NotNull Ipfs ipfs) {

    /**
     * @param rpcUrl              JSON-RPC endpoint of the cluster (mainnet-beta in production, the LiteSVM
     *                            server locally)
     * @param systemWalletKey     base58 64-byte secret key of the system wallet that pays for and signs mints:
     *                            from a secret
     * @param confirmTimeout      the longest a sent mint is awaited: the attempt counts as failed once the
     *                            node's block height passes the blockhash's last valid block height (the
     *                            transaction can no longer land), or after this long if the node's block height
     *                            does not get there (a stalled node)
     * @param confirmPollInterval pause between signature-status queries while a mint confirms
     * @param burnLookupWait      how long confirm-burn waits for a just-submitted burn to reach confirmed
     *                            commitment
     * @param blockhashMaxAge     a blockhash younger than this is reused for burn transactions (valid for about
     *                            60 s on chain)
     * @param requestTimeout      timeout of one JSON-RPC request
     * @param metaplexMetadata    write the Metaplex Token Metadata account in the mint; off only where the
     *                            program is not deployed (the local LiteSVM node)
     * @param metadataUpdateAuthority base58 public key of the Metaplex metadata's update authority: a key held
     *                            apart from the system wallet (the hot key that signs mints may not rewrite what
     *                            it minted); required when {@code metaplex-metadata} is on, and must differ from
     *                            the system wallet
     * @param computeUnitPrice    the priority fee of a mint transaction, in micro-lamports per compute unit
     *                            (a ComputeBudget {@code SetComputeUnitPrice} instruction); 0 sends none
     */
    public record Solana(
            @NotNull URI rpcUrl,
            @NotBlank String systemWalletKey,
            @NotNull @DefaultValue("90s") Duration confirmTimeout,
            @NotNull @DefaultValue("400ms") Duration confirmPollInterval,
            @NotNull @DefaultValue("10s") Duration burnLookupWait,
            @NotNull @DefaultValue("20s") Duration blockhashMaxAge,
            @NotNull @DefaultValue("10s") Duration requestTimeout,
            @DefaultValue("true") boolean metaplexMetadata,
            @Size(max = 64) String metadataUpdateAuthority,
            @PositiveOrZero @DefaultValue("0") int computeUnitPrice) {}

    /**
     * @param apiUrl               Kubo RPC API base URL, e.g. http://ipfs:5001, or a pinning service's Kubo
     *                             RPC endpoint
     * @param requestTimeout       timeout of one upload
     * @param authorization        the {@code Authorization} header sent with every IPFS API request (a
     *                             pinning service's {@code Bearer} token): from a secret; empty for a Kubo
     *                             node that needs none
     * @param artworkRetryInterval how often the tiers' artwork that is not pinned yet is added again; mints of
     *                             a tier wait until its artwork is pinned
     * @param gatewayUrl           an HTTP gateway browsers load IPFS content from (a path gateway:
     *                             {@code <gatewayUrl>/ipfs/<cid>}): the minted NFT's image URL in the
     *                             completed event of an upgrade and of a claim
     */
    public record Ipfs(
            @NotNull URI apiUrl,
            @NotNull @DefaultValue("30s") Duration requestTimeout,
            @Nullable @Size(max = 4096) String authorization,
            @NotNull @DefaultValue("30s") Duration artworkRetryInterval,
            @NotNull @DefaultValue("https://ipfs.io") URI gatewayUrl) {

        /** {@code ipfs://<cid>[/path]} as a URL of the gateway; null for no URI or one that is not {@code ipfs://}. */
        public @Nullable String httpUrl(@Nullable String ipfsUri) {
            if (ipfsUri == null || !ipfsUri.startsWith("ipfs://")) {
                return null;
            }
            String base = gatewayUrl.toString();
            return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/ipfs/"
                    + ipfsUri.substring("ipfs://".length());
        }
    }
}
