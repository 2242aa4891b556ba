package com.aiw3.upgrade.tier;

import com.aiw3.upgrade.chain.SolanaChain;
import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Local run only (like {@link DevHolderSeed}): the caller becomes the holder of a tier-1 NFT the local
 * chain minted into the development wallet (its {@code POST /dev/wallet/nfts}), so any user can try an
 * upgrade.
 */
@RestController
@ConditionalOnProperty("aiw3.upgrade.dev-seed.user-id")
class DevHolderController {

    private final DevHolderSeed seed;

    DevHolderController(DevHolderSeed seed) {
        this.seed = seed;
    }

    record Registration(String wallet, String mint) {}

    @PostMapping("/api/v1/nft/dev/holders")
    @Transactional
    ResponseEntity<Void> register(Caller caller, @RequestBody Registration registration) {
        if (!SolanaChain.isAddress(registration.wallet()) || !SolanaChain.isAddress(registration.mint())) {
            throw Problems.badRequest("wallet and mint must be base58 addresses");
        }
        return seed.holder(caller.userId(), registration.wallet(), registration.mint())
                ? ResponseEntity.status(201).build()
                : ResponseEntity.status(409).build();
    }
}
