package com.aiw3.upgrade.tier;

import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import com.aiw3.upgrade.tier.Qualification.CurrentNft;
import com.aiw3.web.Problems;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Decides whether a user may upgrade to a tier. Asking for a tier that does not exist, that is not the
 * next one, or without an NFT is a bad request (4xx, nothing written); falling short of a requirement
 * is an answer ({@link Qualification#missing()}).
 */
@Component
public class QualificationRules {

    private final JdbcClient jdbc;
    private final Tiers tiers;

    QualificationRules(JdbcClient jdbc, Tiers tiers) {
        this.jdbc = jdbc;
        this.tiers = tiers;
    }

    /** The user's active NFT, if any. */
    public Optional<CurrentNft> currentNft(String userId) {
        return jdbc.sql("""
                        select id, wallet_address, mint_address, tier_id from user_nfts
                        where user_id = :user and status = 'active'""")
                .param("user", userId)
                .query((rs, row) -> currentNft(rs))
                .optional();
    }

    private static CurrentNft currentNft(ResultSet rs) throws SQLException {
        return new CurrentNft(
                rs.getObject("id", UUID.class),
                rs.getString("wallet_address"),
                rs.getString("mint_address"),
                rs.getInt("tier_id"));
    }

    public Qualification evaluate(String userId, int targetTierId) {
        Tier target = tiers.byId(targetTierId)
                .orElseThrow(() -> Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "unknown tier " + targetTierId));
        // One round trip for the NFT and every figure a requirement can ask for.
        Standing standing = jdbc.sql("""
                        select n.id, n.wallet_address, n.mint_address, n.tier_id,
                            (select count(*) from badges b where b.user_id = n.user_id and b.status = 'activated')
                                as activated_badges,
                            coalesce((select v.volume_usd from user_trading_volume v where v.user_id = n.user_id), 0)
                                as volume_usd
                        from user_nfts n where n.user_id = :user and n.status = 'active'""")
                .param("user", userId)
                .query((rs, row) -> new Standing(
                        currentNft(rs),
                        rs.getLong("activated_badges"),
                        rs.getBigDecimal("volume_usd").longValue()))
                .optional()
                .orElseThrow(() -> Problems.conflict("you hold no active NFT to upgrade"));
        CurrentNft nft = java.util.Objects.requireNonNull(standing.nft());
        Tier current = tiers.byId(nft.tierId()).orElseThrow();
        if (target.level() != current.level() + 1) {
            throw Problems.of(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "an upgrade goes to the next tier: from level %d only to level %d, not %d"
                            .formatted(current.level(), current.level() + 1, target.level()));
        }
        var requirements = target.requirements().stream()
                .map(r -> new Requirement(r.code(), r.description(), r.required(), standing.actual(r.code())))
                .toList();
        return new Qualification(target, current, nft, requirements);
    }

    /**
     * Where a user stands against the first tier, which a claim reaches (ADR 0027): the same figures and
     * rules as an upgrade, without an NFT to start from.
     */
    public FirstTierQualification evaluateFirstTier(String userId) {
        Tier first = tiers.all().stream()
                .min(java.util.Comparator.comparingInt(Tier::level))
                .orElseThrow();
        Standing standing = jdbc.sql("""
                        select (select count(*) from badges b where b.user_id = :user and b.status = 'activated')
                                as activated_badges,
                            coalesce((select v.volume_usd from user_trading_volume v where v.user_id = :user), 0)
                                as volume_usd""")
                .param("user", userId)
                .query((rs, row) -> new Standing(
                        null,
                        rs.getLong("activated_badges"),
                        rs.getBigDecimal("volume_usd").longValue()))
                .single();
        var requirements = first.requirements().stream()
                .map(r -> new Requirement(r.code(), r.description(), r.required(), standing.actual(r.code())))
                .toList();
        return new FirstTierQualification(first, requirements);
    }

    private record Standing(
            @org.jspecify.annotations.Nullable CurrentNft nft, long activatedBadges, long volumeUsd) {
        long actual(String code) {
            return switch (code) {
                case "ACTIVATED_BADGES" -> activatedBadges;
                case "TRADING_VOLUME_USD" -> volumeUsd;
                default -> throw new IllegalStateException("no rule for requirement " + code);
            };
        }
    }
}
