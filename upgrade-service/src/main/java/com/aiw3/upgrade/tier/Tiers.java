package com.aiw3.upgrade.tier;

import com.aiw3.upgrade.tier.Tier.TierRequirement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tier catalogue. Tiers are reference data that change with a migration, so they are read once at
 * start-up and served from memory: qualification on the hot path costs no query for them. A tier's image
 * is its artwork's IPFS URI as {@link TierArtwork} knows it, null while the artwork is not pinned.
 */
@Component
public class Tiers {

    private final Map<Integer, Tier> byId;
    private final TierArtwork artwork;

    Tiers(JdbcClient jdbc, JsonMapper json, TierArtwork artwork) {
        this.artwork = artwork;
        Map<Integer, List<TierRequirement>> requirements = jdbc
                .sql("select tier_id, code, description, required from tier_requirements order by tier_id, code")
                .query((rs, row) -> Map.entry(
                        rs.getInt("tier_id"),
                        new TierRequirement(rs.getString("code"), rs.getString("description"), rs.getLong("required"))))
                .list()
                .stream()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        this.byId = jdbc
                .sql("select id, level, name, symbol, description, benefits::text from tiers")
                .query((rs, row) -> new Tier(
                        rs.getInt("id"),
                        rs.getInt("level"),
                        rs.getString("name"),
                        rs.getString("symbol"),
                        rs.getString("description"),
                        null,
                        json.readValue(rs.getString("benefits"), new TypeReference<Map<String, Object>>() {}),
                        requirements.getOrDefault(rs.getInt("id"), List.of())))
                .list()
                .stream()
                .collect(Collectors.toUnmodifiableMap(Tier::id, Function.identity()));
    }

    public Optional<Tier> byId(int id) {
        return Optional.ofNullable(byId.get(id)).map(this::withArtwork);
    }

    public List<Tier> all() {
        return byId.values().stream()
                .sorted(Comparator.comparingInt(Tier::level))
                .map(this::withArtwork)
                .toList();
    }

    private Tier withArtwork(Tier tier) {
        return tier.withImageUri(artwork.imageUri(tier.id()).orElse(null));
    }
}
