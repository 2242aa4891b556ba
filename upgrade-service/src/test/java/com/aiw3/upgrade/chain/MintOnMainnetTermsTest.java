package com.aiw3.upgrade.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.upgrade.UpgradeProperties;
import com.aiw3.upgrade.support.SolanaRpcStub;
import com.aiw3.upgrade.support.WireTransaction;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2p.solanaj.core.Account;
import org.p2p.solanaj.programs.ComputeBudgetProgram;
import org.p2p.solanaj.programs.SystemProgram;
import org.p2p.solanaj.utils.Base58;

/**
 * A mint as a busy cluster needs it, against the Solana RPC stub: a priority fee when one is configured,
 * and a confirmation wait that ends when the transaction can no longer land (the cluster's block height
 * past the blockhash's last valid block height), not on a timer.
 */
class MintOnMainnetTermsTest {

    private static final SolanaRpcStub RPC = new SolanaRpcStub();
    private static final String SYSTEM_KEY = Base58.encode(new Account().getSecretKey());

    @BeforeEach
    void healthyCluster() {
        RPC.reset();
    }

    @AfterAll
    static void stop() {
        RPC.close();
    }

    private static SolanaChain chain(Duration confirmTimeout, int computeUnitPrice) {
        return new SolanaChain(new UpgradeProperties.Solana(
                URI.create(RPC.url()),
                SYSTEM_KEY,
                confirmTimeout,
                Duration.ofMillis(20),
                Duration.ofSeconds(1),
                Duration.ofSeconds(20),
                Duration.ofSeconds(10),
                false,
                null,
                computeUnitPrice));
    }

    private static SignedMint sign(SolanaChain chain) {
        return chain.signMint(
                UUID.randomUUID(),
                new Account().getPublicKeyBase58(),
                new SolanaChain.NftName("AIW3 Silver", "AIW3"),
                "ipfs://bafkreitest");
    }

    /** A mint signed and sent; a dropped one reaches the node but never lands. */
    private static SignedMint sent(SolanaChain chain, boolean dropped) {
        SignedMint mint = sign(chain);
        if (dropped) {
            RPC.dropSends(0);
        }
        chain.send(mint);
        return mint;
    }

    @Test
    void aConfiguredPriorityFeeIsTheMintsFirstInstruction() {
        WireTransaction tx = WireTransaction.fromBase64(
                sign(chain(Duration.ofSeconds(5), 25_000)).base64());

        var first = tx.instructions().getFirst();
        assertThat(tx.program(first)).isEqualTo(ComputeBudgetProgram.PROGRAM_ID.toBase58());
        assertThat(first.data()[0]).as("SetComputeUnitPrice").isEqualTo((byte) 3);
        assertThat(ByteBuffer.wrap(first.data(), 1, 8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong())
                .isEqualTo(25_000);
        assertThat(tx.fullySigned()).isTrue();
    }

    @Test
    void aPriorityFeeOfZeroSendsNoComputeBudgetInstruction() {
        WireTransaction tx =
                WireTransaction.fromBase64(sign(chain(Duration.ofSeconds(5), 0)).base64());

        assertThat(tx.program(tx.instructions().getFirst())).isEqualTo(SystemProgram.PROGRAM_ID.toBase58());
        assertThat(tx.instructions())
                .noneMatch(ix -> tx.program(ix).equals(ComputeBudgetProgram.PROGRAM_ID.toBase58()));
    }

    @Test
    void theSignedMintCarriesItsBlockhashsLastValidBlockHeight() {
        assertThat(sign(chain(Duration.ofSeconds(5), 0)).lastValidBlockHeight())
                .isEqualTo(SolanaRpcStub.LAST_VALID_BLOCK_HEIGHT);
    }

    @Test
    void aDroppedMintIsGivenUpOnceTheBlockHeightPassesItsLastValidBlockHeightLongBeforeTheTimeout() throws Exception {
        SolanaChain chain = chain(Duration.ofMinutes(5), 0);
        SignedMint mint = sent(chain, true);
        RPC.blockHeight(SolanaRpcStub.LAST_VALID_BLOCK_HEIGHT + 1);

        long started = System.nanoTime();
        assertThat(chain.awaitConfirmation(mint)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMintIsAwaitedWhileItsBlockhashIsValidAndFoundWhenItLands() throws Exception {
        SolanaChain chain = chain(Duration.ofMinutes(5), 0);
        RPC.blockHeight(SolanaRpcStub.LAST_VALID_BLOCK_HEIGHT);
        SignedMint mint = sent(chain, false);

        assertThat(chain.awaitConfirmation(mint)).hasValue(mint.signature());
    }

    @Test
    void aMintThatLandedJustBeforeItsBlockhashExpiredIsFoundNotGivenUp() throws Exception {
        SolanaChain chain = chain(Duration.ofMinutes(5), 0);
        SignedMint mint = sent(chain, false);
        RPC.blockHeight(SolanaRpcStub.LAST_VALID_BLOCK_HEIGHT + 1);

        assertThat(chain.awaitConfirmation(mint)).hasValue(mint.signature());
    }

    @Test
    void aNodeWhoseBlockHeightStallsIsWaitedForOnlyUntilTheConfirmTimeout() throws Exception {
        SolanaChain chain = chain(Duration.ofMillis(300), 0);
        SignedMint mint = sent(chain, true);

        long started = System.nanoTime();
        assertThat(chain.awaitConfirmation(mint)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThanOrEqualTo(Duration.ofMillis(300))
                .isLessThan(Duration.ofSeconds(10));
    }
}
