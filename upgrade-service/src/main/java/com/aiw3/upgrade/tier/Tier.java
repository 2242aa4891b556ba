package com.aiw3.upgrade.tier;

import java.util.List;
import java.util.Map;

/** One NFT tier and what a user must show to reach it. */
public record Tier(
        int id,
        int level,
        String name,
        String symbol,
        String description,
        String imageUri,
        Map<String, Object> benefits,
        List<TierRequirement> requirements) {

    public Tier {
        benefits = Map.copyOf(benefits);
        requirements = List.copyOf(requirements);
    }

    public record TierRequirement(String code, String description, long required) {}
}
