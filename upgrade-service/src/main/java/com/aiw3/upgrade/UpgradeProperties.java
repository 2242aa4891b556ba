package com.aiw3.upgrade;

import com.aiw3.messaging.RetryPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** {@code aiw3.upgrade.*}: the upgrade's timings, retries and the chain and IPFS it talks to. */
@Validated
@ConfigurationProperties("aiw3.upgrade")
public record UpgradeProperties(
        /** How long the user has to burn and confirm before the upgrade ends as burn_failed. */
        @NotNull @DefaultValue("5m") Duration burnTimeout,
        /** How long one instance may hold an in-flight upgrade before another takes over (recovery). */
        @NotNull @DefaultValue("2m") Duration lease,
        /** How often expired burns and abandoned in-flight upgrades are looked for. */
        @NotNull @DefaultValue("15s") Duration sweepInterval,
        /**
         * How many upgrades one instance drives through the post-burn steps at once. The rest wait
         * (persisted, leased) so that interactive API calls keep the CPU and connections they need.
         */
        @Min(1) @DefaultValue("32") int pipelineConcurrency,
        @Valid @NotNull @DefaultValue RetryPolicy metadataRetry,
        @Valid @NotNull @DefaultValue RetryPolicy mintRetry,
        @Valid @NotNull Solana solana,
        @Valid @NotNull Ipfs ipfs) {

    public record Solana(
            /** JSON-RPC endpoint of the cluster (mainnet-beta in production, the litesvm server locally). */
            @NotNull URI rpcUrl,
            /** Base58 64-byte secret key of the system wallet that pays for and signs mints: from a secret. */
            @NotBlank String systemWalletKey,
            /** How long a sent mint may stay unconfirmed before the attempt counts as failed. */
            @NotNull @DefaultValue("60s") Duration confirmTimeout,
            /** Pause between signature-status queries while a mint confirms. */
            @NotNull @DefaultValue("400ms") Duration confirmPollInterval,
            /** How long confirm-burn waits for a just-submitted burn to reach confirmed commitment. */
            @NotNull @DefaultValue("10s") Duration burnLookupWait,
            /** A blockhash younger than this is reused for burn transactions (valid for ~60 s on chain). */
            @NotNull @DefaultValue("20s") Duration blockhashMaxAge,
            @NotNull @DefaultValue("10s") Duration requestTimeout,
            /**
             * Write the Metaplex Token Metadata account in the mint. Off only where the program is not
             * deployed (the local LiteSVM node).
             */
            @DefaultValue("true") boolean metaplexMetadata,
            /**
             * Base58 public key of the Metaplex metadata's update authority: a key held apart from the
             * system wallet (the hot key that signs mints may not rewrite what it minted). Required when
             * {@code metaplex-metadata} is on; must differ from the system wallet.
             */
            @Size(max = 64) String metadataUpdateAuthority) {}

    public record Ipfs(
            /** Kubo RPC API base URL, e.g. http://ipfs:5001. */
            @NotNull URI apiUrl,
            @NotNull @DefaultValue("30s") Duration requestTimeout) {}
}
