package com.aiw3.upgrade.tier;

import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import java.util.List;
import java.util.UUID;

/** Where a user stands against a target tier: their current NFT and each requirement's gap. */
public record Qualification(Tier target, Tier current, CurrentNft nft, List<Requirement> requirements) {

    public Qualification {
        requirements = List.copyOf(requirements);
    }

    public boolean qualified() {
        return requirements.stream().allMatch(r -> r.actual() >= r.required());
    }

    public List<Requirement> missing() {
        return requirements.stream().filter(r -> r.actual() < r.required()).toList();
    }

    /** The user's active NFT, the one an upgrade burns. */
    public record CurrentNft(UUID id, String walletAddress, String mintAddress, int tierId) {}
}
