package com.aiw3.upgrade.tier;

import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import com.aiw3.web.Caller;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TierController {

    private final Tiers tiers;
    private final QualificationRules rules;

    TierController(Tiers tiers, QualificationRules rules) {
        this.tiers = tiers;
        this.rules = rules;
    }

    @ApiResponse(responseCode = "200", description = "the tiers by level, with their benefits and requirements")
    @GetMapping({"/api/v1/nft/tiers", "/api/nft/tiers"})
    List<Tier> tiers() {
        return tiers.all();
    }

    /** The caller's active NFT and its tier; 404 when they hold none. */
    @ApiResponse(responseCode = "200", description = "the caller's active NFT and its tier")
    @ApiResponse(responseCode = "404", description = "the caller holds no active NFT")
    @GetMapping("/api/v1/nft/mine")
    MyNft mine(Caller caller) {
        Qualification.CurrentNft nft = rules.currentNft(caller.userId())
                .orElseThrow(() -> com.aiw3.web.Problems.notFound("you hold no active NFT"));
        return new MyNft(
                nft.mintAddress(), nft.walletAddress(), tiers.byId(nft.tierId()).orElseThrow());
    }

    record MyNft(String mintAddress, String walletAddress, Tier tier) {}

    /** The qualification check before an upgrade: every requirement with the caller's standing, and what is missing. */
    @ApiResponse(
            responseCode = "200",
            description = "every requirement of the tier with the caller's standing, and what is missing")
    @ApiResponse(responseCode = "400", description = "no or a malformed targetTierId")
    @ApiResponse(responseCode = "409", description = "the caller holds no active NFT")
    @ApiResponse(responseCode = "422", description = "unknown tier, or not the next tier")
    @GetMapping({"/api/v1/nft/qualification", "/api/nft/qualification"})
    QualificationView qualification(Caller caller, @RequestParam int targetTierId) {
        Qualification q = rules.evaluate(caller.userId(), targetTierId);
        return new QualificationView(
                targetTierId,
                q.current().id(),
                q.qualified(),
                q.requirements().stream().map(RequirementView::of).toList(),
                q.missing().stream().map(RequirementView::of).toList());
    }

    record QualificationView(
            int targetTierId,
            int currentTierId,
            boolean qualified,
            List<RequirementView> requirements,
            List<RequirementView> missing) {}

    record RequirementView(String code, String description, long required, long actual, boolean met) {
        static RequirementView of(Requirement r) {
            return new RequirementView(r.code(), r.description(), r.required(), r.actual(), r.actual() >= r.required());
        }
    }
}
