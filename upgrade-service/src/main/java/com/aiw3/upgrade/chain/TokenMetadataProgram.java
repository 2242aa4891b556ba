package com.aiw3.upgrade.chain;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.p2p.solanaj.core.AccountMeta;
import org.p2p.solanaj.core.PublicKey;
import org.p2p.solanaj.core.TransactionInstruction;
import org.p2p.solanaj.programs.SystemProgram;

/**
 * Metaplex Token Metadata's {@code CreateMetadataAccountV3} (solanaj has no binding): the account
 * wallets and marketplaces read an NFT's name, symbol and metadata URI from. Borsh layout as published
 * by mpl-token-metadata: discriminator 33, {@code DataV2}, {@code is_mutable},
 * {@code collection_details}.
 */
final class TokenMetadataProgram {

    static final PublicKey PROGRAM_ID = new PublicKey("metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s");
    private static final byte CREATE_METADATA_ACCOUNT_V3 = 33;
    static final int MAX_NAME = 32;
    static final int MAX_SYMBOL = 10;
    static final int MAX_URI = 200;

    private TokenMetadataProgram() {}

    static PublicKey metadataAddress(PublicKey mint) {
        try {
            return PublicKey.findProgramAddress(
                            List.of(
                                    "metadata".getBytes(StandardCharsets.UTF_8),
                                    PROGRAM_ID.toByteArray(),
                                    mint.toByteArray()),
                            PROGRAM_ID)
                    .getAddress();
        } catch (Exception e) {
            throw new IllegalStateException("no metadata address for " + mint, e);
        }
    }

    /**
     * The system wallet is mint authority, payer and the one verified creator; {@code updateAuthority}
     * (a key kept apart from the hot system wallet, not a signer here) alone may change the metadata.
     */
    static TransactionInstruction createMetadataAccountV3(
            PublicKey mint, PublicKey authority, PublicKey updateAuthority, String name, String symbol, String uri) {
        if (name.length() > MAX_NAME || symbol.length() > MAX_SYMBOL || uri.length() > MAX_URI) {
            throw new IllegalArgumentException("name/symbol/uri over Metaplex limits (32/10/200)");
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(CREATE_METADATA_ACCOUNT_V3);
        string(data, name);
        string(data, symbol);
        string(data, uri);
        data.writeBytes(le(2).putShort((short) 0).array()); // seller_fee_basis_points: no royalties
        data.write(1); // creators: Some
        data.writeBytes(le(4).putInt(1).array());
        data.writeBytes(authority.toByteArray());
        data.write(1); // verified: the creator signs this transaction
        data.write(100); // share
        data.write(0); // collection: None
        data.write(0); // uses: None
        data.write(1); // is_mutable: the update authority (not the hot key) can correct the metadata
        data.write(0); // collection_details: None
        return new TransactionInstruction(
                PROGRAM_ID,
                List.of(
                        new AccountMeta(metadataAddress(mint), false, true),
                        new AccountMeta(mint, false, false),
                        new AccountMeta(authority, true, false),
                        new AccountMeta(authority, true, true),
                        new AccountMeta(updateAuthority, false, false),
                        new AccountMeta(SystemProgram.PROGRAM_ID, false, false)),
                data.toByteArray());
    }

    private static void string(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(le(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
