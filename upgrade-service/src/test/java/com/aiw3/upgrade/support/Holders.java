package com.aiw3.upgrade.support;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.p2p.solanaj.core.Account;
import org.p2p.solanaj.core.PublicKey;
import org.p2p.solanaj.programs.AssociatedTokenProgram;
import org.p2p.solanaj.programs.TokenProgram;
import org.p2p.solanaj.utils.Base58;
import org.springframework.jdbc.core.simple.JdbcClient;

/** NFT holders seeded into the service's tables, each with a real wallet keypair. */
public final class Holders {

    private final JdbcClient jdbc;

    public Holders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Holder(String userId, Account wallet, String nftMint, UUID nftId) {
        public String walletAddress() {
            return wallet.getPublicKeyBase58();
        }

        public String tokenAccount() {
            return associatedTokenAccount(walletAddress(), nftMint);
        }
    }

    /** A user holding a tier-{@code tierId} NFT, with the given activated badges and trading volume. */
    public Holder holder(int tierId, int activatedBadges, long volumeUsd) {
        Holder holder = withoutTrades(tierId, activatedBadges);
        jdbc.sql("insert into user_trading_volume (user_id, volume_usd) values (:user, :volume)")
                .param("user", holder.userId())
                .param("volume", BigDecimal.valueOf(volumeUsd))
                .update();
        return holder;
    }

    /** A user holding a tier-{@code tierId} NFT and the given activated badges, of whom no trade is known. */
    public Holder withoutTrades(int tierId, int activatedBadges) {
        String user = "user-" + UUID.randomUUID();
        Account wallet = new Account();
        String mint = Base58.encode(SolanaRpcStub.randomBytes(32));
        UUID nft = UUID.randomUUID();
        jdbc.sql("""
                        insert into user_nfts (id, user_id, wallet_address, tier_id, mint_address, status)
                        values (:id, :user, :wallet, :tier, :mint, 'active')""")
                .param("id", nft)
                .param("user", user)
                .param("wallet", wallet.getPublicKeyBase58())
                .param("tier", tierId)
                .param("mint", mint)
                .update();
        SolanaRpcStub.holds(wallet.getPublicKeyBase58(), mint);
        for (int i = 0; i < activatedBadges; i++) {
            jdbc.sql("""
                            insert into badges (id, user_id, code, name, status, activated_at)
                            values (:id, :user, :code, :name, 'activated', now())""")
                    .param("id", UUID.randomUUID())
                    .param("user", user)
                    .param("code", "badge-" + i)
                    .param("name", "Badge " + i)
                    .update();
        }
        return new Holder(user, wallet, mint, nft);
    }

    /** A user who signed in with a wallet and holds no NFT: who may claim a first one. */
    public record Claimant(String userId, Account wallet) {
        public String walletAddress() {
            return wallet.getPublicKeyBase58();
        }
    }

    /** A user without an NFT, with the given trading volume (tier 1 asks for 10,000 USD). */
    public Claimant claimant(long volumeUsd) {
        String user = "claimant-" + UUID.randomUUID();
        jdbc.sql("insert into user_trading_volume (user_id, volume_usd) values (:user, :volume)")
                .param("user", user)
                .param("volume", BigDecimal.valueOf(volumeUsd))
                .update();
        return new Claimant(user, new Account());
    }

    /** Qualifies for tier 2: 2 activated badges, 500,000 USD volume. */
    public Holder qualifiedForTier2() {
        return holder(1, 2, 600_000);
    }

    public List<String> badgeStatuses(String userId) {
        return jdbc.sql("select status from badges where user_id = :user order by code")
                .param("user", userId)
                .query(String.class)
                .list();
    }

    public static String associatedTokenAccount(String wallet, String mint) {
        try {
            return PublicKey.findProgramAddress(
                            List.of(
                                    new PublicKey(wallet).toByteArray(),
                                    TokenProgram.PROGRAM_ID.toByteArray(),
                                    new PublicKey(mint).toByteArray()),
                            AssociatedTokenProgram.PROGRAM_ID)
                    .getAddress()
                    .toBase58();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
