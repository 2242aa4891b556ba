package com.aiw3.upgrade.upgrade;

import com.aiw3.events.upgrade.UpgradeEvent.MintedNft;
import com.aiw3.upgrade.UpgradeProperties;
import com.aiw3.upgrade.tier.Tier;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The minted NFT as a completed upgrade ({@code UpgradeCompleted.newNft}) and a completed claim
 * ({@code NftClaimed.nft}) publish it: one place, so both carry what a UI shows without another call, the
 * tier's benefits and the artwork through the HTTP gateway {@code aiw3.upgrade.ipfs.gateway-url}.
 */
@Component
class MintedNfts {

    private final UpgradeProperties.Ipfs ipfs;

    MintedNfts(UpgradeProperties properties) {
        this.ipfs = properties.ipfs();
    }

    MintedNft of(Tier tier, String mintAddress, String metadataUri, @Nullable String transactionSignature) {
        return new MintedNft(
                mintAddress,
                tier.id(),
                tier.name(),
                tier.level(),
                metadataUri,
                transactionSignature,
                benefits(tier),
                ipfs.httpUrl(tier.imageUri()));
    }

    /** The tier's benefits as a UI shows them: each value in its display form ("10%", "3"). */
    private static Map<String, String> benefits(Tier tier) {
        Map<String, String> shown = new LinkedHashMap<>();
        tier.benefits().forEach((name, value) -> shown.put(name, String.valueOf(value)));
        return shown;
    }
}
