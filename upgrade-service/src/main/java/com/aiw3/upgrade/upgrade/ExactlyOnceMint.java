package com.aiw3.upgrade.upgrade;

import com.aiw3.upgrade.UpgradeProperties;
import com.aiw3.upgrade.chain.ChainUnavailableException;
import com.aiw3.upgrade.chain.MintState;
import com.aiw3.upgrade.chain.SignedMint;
import com.aiw3.upgrade.chain.SolanaChain;
import com.aiw3.upgrade.upgrade.RetryThenCompensate.AttemptFailed;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One attempt at the mint of an upgrade's or a claim's NFT, exactly once across attempts, restarts and
 * instances (ADR 0009): the mint address is derived from the system key and the process id, the recorded
 * attempts (and the mint account) are asked before anything is signed, and each signed attempt is recorded
 * before it is sent.
 */
@Component
class ExactlyOnceMint {

    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceMint.class);

    /**
     * How long a signed mint may still land: its blockhash is valid for 150 blocks (60-90 s); twice
     * that, so an attempt older than this can no longer be executed.
     */
    static final Duration SIGNED_MINT_LIFETIME = Duration.ofMinutes(3);

    /**
     * The process whose NFT is minted ({@code process}, an upgrade or a claim, as last persisted) and what its
     * mint needs: the address recorded when the mint step started, the recipient, the metadata, the name.
     */
    record Target<P>(
            P process,
            UUID id,
            MintAttempts.Of of,
            String recipient,
            String mintAddress,
            String metadataUri,
            SolanaChain.NftName name) {}

    /** Records the current key's address on the process in place of a previous key's; the target after it. */
    interface Rekey<P> {
        Target<P> withMintAddress(P process, String address);
    }

    /** The NFT exists at the process's mint address; the signature of the attempt that landed, when known. */
    record Minted<P>(P process, @Nullable String signature) {}

    private final SolanaChain chain;
    private final MintAttempts attempts;
    private final ProcessDriver driver;
    private final TransactionTemplate tx;
    private final UpgradeProperties properties;
    private final MeterRegistry meters;

    ExactlyOnceMint(
            SolanaChain chain,
            MintAttempts attempts,
            ProcessDriver driver,
            TransactionTemplate tx,
            UpgradeProperties properties,
            MeterRegistry meters) {
        this.chain = chain;
        this.attempts = attempts;
        this.driver = driver;
        this.tx = tx;
        this.properties = properties;
        this.meters = meters;
    }

    /** One attempt: the NFT minted (now or by an earlier attempt), or why not. */
    <P> Minted<P> attempt(Target<P> started, Rekey<P> rekey) throws AttemptFailed, InterruptedException {
        try {
            KeyCheck<P> key = onCurrentKey(started, rekey);
            if (key instanceof KeyCheck.MintedByPreviousKey<P>(Optional<String> signature)) {
                return new Minted<>(started.process(), signature.orElse(null));
            }
            if (key instanceof KeyCheck.PreviousKeyMayStillLand<P>(String reason)) {
                throw new AttemptFailed(reason);
            }
            Target<P> t = ((KeyCheck.Current<P>) key).target();
            Optional<Minted<P>> minted = alreadyMinted(t);
            if (minted.isPresent()) {
                return minted.get();
            }
            SignedMint signed = chain.signMint(t.id(), t.of().memoTag(), t.recipient(), t.name(), t.metadataUri());
            tx.executeWithoutResult(status -> attempts.record(t.of(), t.id(), signed));
            driver.checkRunning();
            chain.send(signed);
            Optional<String> confirmed = chain.awaitConfirmation(signed);
            if (confirmed.isPresent()) {
                meters.counter("aiw3.upgrade.mint.sent").increment();
                return new Minted<>(t.process(), confirmed.get());
            }
            throw new AttemptFailed(
                    "the mint was not confirmed within " + properties.solana().confirmTimeout());
        } catch (ChainUnavailableException e) {
            throw new AttemptFailed(e.getMessage());
        }
    }

    /**
     * After the last failed attempt: a slow attempt may have landed after all, and a mint that exists is never
     * reported as failed.
     */
    <P> Optional<Minted<P>> landedLate(Target<P> t) throws AttemptFailed {
        try {
            return alreadyMinted(t);
        } catch (ChainUnavailableException e) {
            throw new AttemptFailed(e.getMessage());
        }
    }

    private <P> Optional<Minted<P>> alreadyMinted(Target<P> t) {
        MintState state = chain.mintState(t.mintAddress(), attempts.signatures(t.id()));
        return state.minted()
                ? Optional.of(new Minted<>(t.process(), state.signature().orElse(null)))
                : Optional.empty();
    }

    /** Whether the recorded mint address is the current system key's, and what to do if not. */
    private sealed interface KeyCheck<P> {
        /** The address to mint at is the current key's (recorded now if a previous key's was). */
        record Current<P>(Target<P> target) implements KeyCheck<P> {}

        /** A previous key's attempt landed: the process completes with the recorded mint. */
        record MintedByPreviousKey<P>(Optional<String> signature) implements KeyCheck<P> {}

        /** A previous key's attempt is young enough to land still: wait before re-deriving. */
        record PreviousKeyMayStillLand<P>(String reason) implements KeyCheck<P> {}
    }

    /**
     * The mint address is derived from the system key: after a key rotation, a process whose address was
     * recorded under the previous key cannot be minted there (the new key does not hold that mint account's
     * key). The recorded attempts are asked first: one that landed is the process's NFT; one that may still
     * land is waited for; only then is the current key's address recorded and minted.
     */
    private <P> KeyCheck<P> onCurrentKey(Target<P> t, Rekey<P> rekey) {
        String derived = chain.mintAddressFor(t.id());
        if (derived.equals(t.mintAddress())) {
            return new KeyCheck.Current<>(t);
        }
        MintState previous = chain.mintState(t.mintAddress(), attempts.signatures(t.id()));
        if (previous.minted()) {
            log.warn("{}: minted at {} by the previous system key", t.id(), t.mintAddress());
            return new KeyCheck.MintedByPreviousKey<>(previous.signature());
        }
        Optional<Instant> last = attempts.lastSignedAt(t.id());
        if (last.isPresent() && last.get().plus(SIGNED_MINT_LIFETIME).isAfter(Instant.now())) {
            return new KeyCheck.PreviousKeyMayStillLand<>("a mint signed by the previous system key at " + last.get()
                    + " may still land; the address is re-derived once it cannot");
        }
        log.warn(
                "{}: the system key changed; mint address {} (previous key, never minted) becomes {}",
                t.id(),
                t.mintAddress(),
                derived);
        return new KeyCheck.Current<>(tx.execute(status -> rekey.withMintAddress(t.process(), derived)));
    }
}
