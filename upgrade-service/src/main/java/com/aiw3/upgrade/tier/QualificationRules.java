package com.aiw3.upgrade.tier;

import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import com.aiw3.upgrade.tier.Qualification.CurrentNft;
import com.aiw3.web.Problems;
import java.math.BigDecimal;
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

    public Qualification evaluate(String userId, int targetTierId) {
        Tier target = tiers.byId(targetTierId)
                .orElseThrow(() -> Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "unknown tier " + targetTierId));
        CurrentNft nft = jdbc.sql("""
                        select id, wallet_address, mint_address, tier_id from user_nfts
                        where user_id = :user and status = 'active'""")
                .param("user", userId)
                .query((rs, row) -> new CurrentNft(
                        rs.getObject("id", UUID.class),
                        rs.getString("wallet_address"),
                        rs.getString("mint_address"),
                        rs.getInt("tier_id")))
                .optional()
                .orElseThrow(() -> Problems.conflict("you hold no active NFT to upgrade"));
        Tier current = tiers.byId(nft.tierId()).orElseThrow();
        if (target.level() != current.level() + 1) {
            throw Problems.of(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "an upgrade goes to the next tier: from level %d only to level %d, not %d"
                            .formatted(current.level(), current.level() + 1, target.level()));
        }
        var requirements = target.requirements().stream()
                .map(r -> new Requirement(r.code(), r.description(), r.required(), actual(userId, r.code())))
                .toList();
        return new Qualification(target, current, nft, requirements);
    }

    private long actual(String userId, String code) {
        return switch (code) {
            case "ACTIVATED_BADGES" ->
                jdbc.sql("select count(*) from badges where user_id = :user and status = 'activated'")
                        .param("user", userId)
                        .query(Long.class)
                        .single();
            case "TRADING_VOLUME_USD" ->
                jdbc.sql("select volume_usd from user_trading_volume where user_id = :user")
                        .param("user", userId)
                        .query(BigDecimal.class)
                        .optional()
                        .map(BigDecimal::longValue)
                        .orElse(0L);
            default -> throw new IllegalStateException("no rule for requirement " + code);
        };
    }
}
