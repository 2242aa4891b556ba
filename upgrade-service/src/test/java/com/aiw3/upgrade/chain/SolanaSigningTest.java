package com.aiw3.upgrade.chain;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.upgrade.UpgradeProperties;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2p.solanaj.utils.Base58;
import org.p2p.solanaj.utils.TweetNaclFast;

/**
 * The bytes the system wallet signs are fixed: for a fixed key, upgrade, blockhash and rent, the mint
 * transaction, its signature and the mint address are exactly these, and every ed25519 signature and
 * derived public key equals the reference implementation's (TweetNacl, RFC 8032).
 */
class SolanaSigningTest {

    private static final String BLOCKHASH = "9mPvdpFpmt1TTDH3bqzfDHfBD8GyKMWbqd9Jyq2eXTYA";
    private static final long RENT = 1_461_600;
    private static final UUID UPGRADE = UUID.fromString("0195b1a4-7e2c-7c3a-9d4e-2f1a3b4c5d6e");

    private static WireMockServer rpc;

    @BeforeAll
    static void node() {
        rpc = new WireMockServer(options().dynamicPort());
        rpc.start();
        answer(
                "getLatestBlockhash",
                "{\"context\":{\"slot\":1000},\"value\":{\"blockhash\":\"" + BLOCKHASH
                        + "\",\"lastValidBlockHeight\":1150}}");
        answer("getMinimumBalanceForRentExemption", Long.toString(RENT));
    }

    @AfterAll
    static void stop() {
        rpc.stop();
    }

    private static void answer(String method, String result) {
        rpc.stubFor(post(urlEqualTo("/"))
                .withRequestBody(matchingJsonPath("$.method", equalTo(method)))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + result + "}")));
    }

    private static byte[] seed(int first) {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (first + 7 * i);
        }
        return seed;
    }

    private static String secretKeyOf(byte[] seed) {
        return Base58.encode(TweetNaclFast.Signature.keyPair_fromSeed(seed).getSecretKey());
    }

    private static SolanaChain chain(boolean metaplex) {
        return new SolanaChain(new UpgradeProperties.Solana(
                URI.create(rpc.baseUrl()),
                secretKeyOf(seed(1)),
                Duration.ofSeconds(10),
                Duration.ofMillis(50),
                Duration.ofSeconds(1),
                Duration.ofSeconds(20),
                Duration.ofSeconds(10),
                metaplex,
                metaplex
                        ? Base58.encode(TweetNaclFast.Signature.keyPair_fromSeed(seed(2))
                                .getPublicKey())
                        : null,
                0));
    }

    @Test
    void theMintTransactionOfAFixedKeyUpgradeAndBlockhashIsTheseBytes() {
        SignedMint mint = chain(true)
                .signMint(
                        UPGRADE,
                        Base58.encode(TweetNaclFast.Signature.keyPair_fromSeed(seed(3))
                                .getPublicKey()),
                        new SolanaChain.NftName("AIW3 Silver", "AIW3"),
                        "ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy");

        assertThat(mint.mintAddress()).isEqualTo(MINT_ADDRESS);
        assertThat(mint.blockhash()).isEqualTo(BLOCKHASH);
        assertThat(mint.signature()).isEqualTo(SIGNATURE);
        assertThat(mint.base64()).isEqualTo(WIRE);
    }

    @Test
    void theMintAddressOfAnUpgradeIsDerivedFromTheSystemKeyAndTheUpgradeId() {
        assertThat(chain(false).mintAddressFor(UPGRADE)).isEqualTo(MINT_ADDRESS);
    }

    @Test
    void signaturesAndPublicKeysEqualTheReferenceImplementation() {
        IntStream.range(0, 64).forEach(n -> {
            byte[] seed = seed(n * 31);
            byte[] message = new byte[n * 37];
            for (int i = 0; i < message.length; i++) {
                message[i] = (byte) (i * n + 3);
            }
            TweetNaclFast.Signature.KeyPair reference = TweetNaclFast.Signature.keyPair_fromSeed(seed);
            Ed25519Key key = Ed25519Key.fromSeed(seed);

            assertThat(key.publicKey().toByteArray()).isEqualTo(reference.getPublicKey());
            assertThat(key.secretKey()).isEqualTo(reference.getSecretKey());
            assertThat(Ed25519Key.fromSecretKey(reference.getSecretKey()).sign(message))
                    .isEqualTo(new TweetNaclFast.Signature(new byte[0], reference.getSecretKey()).detached(message));
        });
    }

    @Test
    void aSecretKeyWhosePublicHalfIsNotItsSeedsIsRefusedAtStart() {
        byte[] secret = TweetNaclFast.Signature.keyPair_fromSeed(seed(1)).getSecretKey();
        secret[40] ^= 1;

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Ed25519Key.fromSecretKey(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public half");
    }

    private static final String MINT_ADDRESS = "GfmxTwrw9sVFmrahS1WxNLEGgUh5284wgcfec1EcjXSp";
    private static final String SIGNATURE =
            "gqKe1Z2LkC8yBciu92nhmni4akC3uNAtyw4GomAMEvc2BHU5cYTwDNuvUg3SCPpSR4N1v3KieSojohSUBb4EqX6";
    private static final String WIRE = ""
            + "AiJZv2AzBns8L/CTRcgWUrfyD0W7cIXlq8NVOs+BlKypzZbmXTNVf5DsNaNXUKSu73foDM5Edcu+tcrrVTaZ4wm8crnqKB2Y"
            + "E7Imdrsox7kMAeRjqQinT5OSE89tu5kq7CnHynkRLE92j1WT9OcbKZ+iVNR0rf0D2Ml+4YnjTnUPAgAIDOQDCZjP1a0XI8Fp"
            + "+VaqC564YZtZkr1hLCr0KOvHn43w6M409b17FqMKYcS9JEGL34SqZV+6FMj1XDZQG3FtsXFiBIVAvMkI4rzJadfmur6HBi8/"
            + "1BRMf28cQO19POElSUD4f7wNStyn3woc8MtM+1x3kVPDWlWGpCz55R2VJkQ0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            + "AAAAAAAGp9UXGSxcUSGMyUw9SvF/WNruCJuh/UTj29mKAAAAAAbd9uHXZaGT2cvhRs7reawctIXtX1s3kTqM9YV+/wCpdVxM"
            + "uSVsp83ErP3Gz+7ahJAX5bn5UU6ZGRvWfgsNQnaMlyWPTiSJ8bs9ECkUjg2DC1oTmdr/EIQEjnvY2+n4We1jEw/uqEdB+ohR"
            + "uT6t/5XrbNEduBn4ZQwSWbQRijD0C3BlsePRfEU4nVJ/awTDzVi4bHMaoP21SbbRvAP4KUYFSlNQ+F3IgtYUpVZyeIopbd8e"
            + "q6vQpgZ4iEky9O72oII8+NsRYbUFNBE9z+LTeoLvSmaQyF0XrYK7hs+Ira9XCAQCAAE0AAAAAGBNFgAAAAAAUgAAAAAAAAAG"
            + "3fbh12Whk9nL4UbO63msHLSF7V9bN5E6jPWFfv8AqQYCAQVDAADkAwmYz9WtFyPBaflWqgueuGGbWZK9YSwq9Cjrx5+N8AHk"
            + "AwmYz9WtFyPBaflWqgueuGGbWZK9YSwq9Cjrx5+N8AgGAAIHAQQGAQEGAwECAAkHAQAAAAAAAAAKBgMBAAAJBIsBIQsAAABB"
            + "SVczIFNpbHZlcgQAAABBSVczQgAAAGlwZnM6Ly9iYWZrcmVpZ2gyYWtpc2NhaWxkY3FhYnN5ZzNkZnI2Y2h1M2ZncHJlZ2l5"
            + "bXNjazdlN2FxYTRzNTJ6eQAAAQEAAADkAwmYz9WtFyPBaflWqgueuGGbWZK9YSwq9Cjrx5+N8AFkAAABAAYCAQADBgAABgIB"
            + "AAMGAQALAQB0YWl3My11cGdyYWRlIDAxOTViMWE0LTdlMmMtN2MzYS05ZDRlLTJmMWEzYjRjNWQ2ZSBpcGZzOi8vYmFma3Jl"
            + "aWdoMmFraXNjYWlsZGNxYWJzeWczZGZyNmNodTNmZ3ByZWdpeW1zY2s3ZTdhcWE0czUyenk=";
}
