package com.aiw3.upgrade.upgrade;

import com.aiw3.events.EventIds;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.upgrade.badge.BadgeAwards;
import com.aiw3.upgrade.badge.BadgeConsumption;
import com.aiw3.upgrade.tier.Tier;
import com.aiw3.upgrade.tier.Tiers;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The last step, in one transaction: the old NFT's record is burned, the new NFT becomes the user's
 * active one, the activated badges the target tier requires are consumed (the earliest activated first),
 * any compensation is resolved, the upgrade completes, and the badges for completed upgrades are earned.
 */
@Component
class UpgradeRecords {

    private final JdbcClient jdbc;
    private final UpgradeStore store;
    private final Compensations compensations;
    private final Tiers tiers;
    private final BadgeConsumption badges;
    private final BadgeAwards awards;
    private final MintedNfts minted;

    UpgradeRecords(
            JdbcClient jdbc,
            UpgradeStore store,
            Compensations compensations,
            Tiers tiers,
            BadgeConsumption badges,
            BadgeAwards awards,
            MintedNfts minted) {
        this.jdbc = jdbc;
        this.minted = minted;
        this.store = store;
        this.compensations = compensations;
        this.tiers = tiers;
        this.badges = badges;
        this.awards = awards;
    }

    /**
     * Call inside a transaction. The burn this upgrade verified is what the old NFT's record says last,
     * even if an ownership check saw the NFT gone (burned) and marked it transferred meanwhile.
     */
    Upgrade complete(Upgrade u) {
        Tier from = tiers.byId(u.fromTierId()).orElseThrow();
        Tier to = tiers.byId(u.targetTierId()).orElseThrow();
        jdbc.sql("""
                        update user_nfts set status = 'burned', burned_at = now(), transferred_at = null,
                            version = version + 1
                        where id = :id and status in ('active', 'transferred')""").param("id", u.currentNftId()).update();
        jdbc.sql("""
                        insert into user_nfts (id, user_id, wallet_address, tier_id, mint_address, status, metadata_uri,
                            mint_signature, upgrade_id)
                        values (:id, :user, :wallet, :tier, :mint, 'active', :uri, :signature, :upgrade)""")
                .param("id", EventIds.next())
                .param("user", u.userId())
                .param("wallet", u.walletAddress())
                .param("tier", to.id())
                .param("mint", u.newMintAddress())
                .param("uri", u.metadataUri())
                .param("signature", u.mintSignature())
                .param("upgrade", u.id())
                .update();
        long requiredBadges = to.requirements().stream()
                .filter(r -> r.code().equals("ACTIVATED_BADGES"))
                .mapToLong(Tier.TierRequirement::required)
                .sum();
        List<String> consumed = badges.consume(u.userId(), u.id(), requiredBadges);
        compensations.resolve(u.id());
        UUID id = u.id();
        Upgrade completed = store.move(
                u,
                new UpgradeEvent.UpgradeCompleted(
                        id,
                        u.userId(),
                        from.level(),
                        to.level(),
                        minted.of(to, u.mintAddress(), u.uploadedMetadataUri(), u.mintSignature()),
                        consumed));
        awards.afterUpgrade(id, u.userId());
        return completed;
    }
}
