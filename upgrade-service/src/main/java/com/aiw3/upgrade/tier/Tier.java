package com.aiw3.upgrade.tier;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One NFT tier and what a user must show to reach it.
 *
 * @param imageUri {@code ipfs://<cid>} of the tier's artwork once it is pinned on IPFS; null until then (no
 *                 tier is ever shown or minted with an image that is not on IPFS)
 */
public record Tier(
        int id,
        int level,
        String name,
        String symbol,
        String description,
        @Nullable String imageUri,
        Map<String, Object> benefits,
        List<TierRequirement> requirements) {

    public Tier {
        benefits = Map.copyOf(benefits);
        requirements = List.copyOf(requirements);
    }

    Tier withImageUri(@Nullable String uri) {
        return new Tier(id, level, name, symbol, description, uri, benefits, requirements);
    }

    public record TierRequirement(String code, String description, long required) {}
}
