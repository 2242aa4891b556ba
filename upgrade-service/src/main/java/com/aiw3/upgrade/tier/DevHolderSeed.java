package com.aiw3.upgrade.tier;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The local run's development holder: the user the walkthrough signs in as, holding the tier-1 NFT
 * that the local chain seeded in the development wallet, and qualified for tier 2. Only when
 * {@code aiw3.upgrade.dev-seed.user-id} is set (the local run sets it; production never does).
 */
@Component
@ConditionalOnProperty("aiw3.upgrade.dev-seed.user-id")
class DevHolderSeed implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DevHolderSeed.class);

    private final JdbcClient jdbc;
    private final String userId;
    private final String wallet;
    private final String nftMint;

    DevHolderSeed(
            JdbcClient jdbc,
            @Value("${aiw3.upgrade.dev-seed.user-id}") String userId,
            @Value("${aiw3.upgrade.dev-seed.wallet}") String wallet,
            @Value("${aiw3.upgrade.dev-seed.nft-mint}") String nftMint) {
        this.jdbc = jdbc;
        this.userId = userId;
        this.wallet = wallet;
        this.nftMint = nftMint;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        holder(userId, wallet, nftMint);
    }

    /**
     * Makes {@code user} the holder of the tier-1 NFT {@code mint} in {@code wallet}, qualified for tier 2.
     * Does nothing when the mint is known already. Call inside a transaction.
     */
    boolean holder(String userId, String wallet, String nftMint) {
        boolean known = jdbc.sql("select exists (select 1 from user_nfts where mint_address = :mint)")
                .param("mint", nftMint)
                .query(Boolean.class)
                .single();
        if (known) {
            return false;
        }
        // A fresh local chain: the NFT recorded from the previous one no longer exists on chain.
        jdbc.sql(
                        "update user_nfts set status = 'burned', burned_at = now() where user_id = :user and status = 'active'")
                .param("user", userId)
                .update();
        jdbc.sql("""
                        insert into user_nfts (id, user_id, wallet_address, tier_id, mint_address, status)
                        values (:id, :user, :wallet, 1, :mint, 'active')""")
                .param("id", UUID.randomUUID())
                .param("user", userId)
                .param("wallet", wallet)
                .param("mint", nftMint)
                .update();
        // The database can outlive the chain (a fresh .local-run with the same PostgreSQL): the user's badges
        // from the previous chain are activated again, not inserted twice.
        for (String badge : new String[] {"first-trade", "ai-explorer"}) {
            jdbc.sql("""
                            insert into badges (id, user_id, code, name, status, activated_at)
                            values (:id, :user, :code, :code, 'activated', now())
                            on conflict (user_id, code) do update
                            set status = 'activated', activated_at = now(), consumed_at = null,
                                consumed_by_upgrade = null""")
                    .param("id", UUID.randomUUID())
                    .param("user", userId)
                    .param("code", badge)
                    .update();
        }
        jdbc.sql("""
                        insert into user_trading_volume (user_id, volume_usd) values (:user, 600000)
                        on conflict (user_id) do update set volume_usd = excluded.volume_usd""").param("user", userId).update();
        log.info("local run: {} holds tier-1 NFT {} in wallet {}", userId, nftMint, wallet);
        return true;
    }
}
