package com.aiw3.upgrade.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2p.solanaj.core.Account;
import org.p2p.solanaj.core.PublicKey;
import org.p2p.solanaj.programs.AssociatedTokenProgram;
import org.p2p.solanaj.programs.TokenProgram;

class AssociatedTokenAccountTest {

    private static PublicKey derived(PublicKey owner, PublicKey mint) throws Exception {
        return PublicKey.findProgramAddress(
                        List.of(owner.toByteArray(), TokenProgram.PROGRAM_ID.toByteArray(), mint.toByteArray()),
                        AssociatedTokenProgram.PROGRAM_ID)
                .getAddress();
    }

    @Test
    void aRememberedAccountIsTheDerivedOneEveryTimeAndForEachPair() throws Exception {
        PublicKey owner = new Account().getPublicKey();
        PublicKey mint = new Account().getPublicKey();
        PublicKey otherMint = new Account().getPublicKey();

        PublicKey first = SolanaChain.associatedTokenAccount(owner, mint);
        PublicKey again = SolanaChain.associatedTokenAccount(owner, mint);
        PublicKey ofOtherMint = SolanaChain.associatedTokenAccount(owner, otherMint);

        assertThat(first.toBase58()).isEqualTo(derived(owner, mint).toBase58());
        assertThat(again.toBase58()).isEqualTo(first.toBase58());
        assertThat(ofOtherMint.toBase58())
                .isEqualTo(derived(owner, otherMint).toBase58())
                .isNotEqualTo(first.toBase58());
    }

    @Test
    void aCallerChangingTheReturnedKeyDoesNotChangeTheRememberedAddress() throws Exception {
        PublicKey owner = new Account().getPublicKey();
        PublicKey mint = new Account().getPublicKey();

        SolanaChain.associatedTokenAccount(owner, mint).toByteArray()[0] ^= 1;

        assertThat(SolanaChain.associatedTokenAccount(owner, mint).toBase58())
                .isEqualTo(derived(owner, mint).toBase58());
    }
}
