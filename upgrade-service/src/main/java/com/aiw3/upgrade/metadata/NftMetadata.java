package com.aiw3.upgrade.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Metaplex token-metadata JSON of an upgraded NFT. It holds nothing that changes between attempts (no
 * timestamps), so a retried upload yields the same CID.
 */
@JsonPropertyOrder({"name", "symbol", "description", "image", "external_url", "attributes", "properties"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NftMetadata(
        String name,
        String symbol,
        String description,
        String image,
        @Nullable String external_url,
        List<Attribute> attributes,
        Properties properties) {

    @JsonPropertyOrder({"trait_type", "value"})
    public record Attribute(String trait_type, Object value) {}

    @JsonPropertyOrder({"category", "files"})
    public record Properties(String category, List<File> files) {}

    @JsonPropertyOrder({"uri", "type"})
    public record File(String uri, String type) {}
}
