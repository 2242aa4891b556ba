package com.aiw3.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What a token must carry besides a good signature (issuer, audience, a subject, an expiry not past) and
 * how the dev signing key is read from its PEM file.
 */
class JwtValidationTest {

    private static final String ISSUER = "https://id.aiw3.test/";
    private static final String AUDIENCE = "aiw3-api";

    private final OAuth2TokenValidator<Jwt> validator = JwtConfiguration.validator(ISSUER, AUDIENCE);

    private static Jwt token(UnaryOperator<Jwt.Builder> change) {
        Instant now = Instant.now();
        Jwt.Builder builder = Jwt.withTokenValue("t")
                .header("alg", "RS256")
                .issuer(ISSUER)
                .audience(List.of(AUDIENCE, "another-api"))
                .subject("alice")
                .issuedAt(now.minusSeconds(60))
                .expiresAt(now.plusSeconds(600));
        return change.apply(builder).build();
    }

    private boolean valid(Jwt jwt) {
        return !validator.validate(jwt).hasErrors();
    }

    @Test
    void aTokenForThisAudienceFromThisIssuerWithASubjectAndAnExpiryIsValid() {
        assertThat(valid(token(b -> b))).isTrue();
    }

    @Test
    void aTokenForAnotherAudienceOrNoneIsRefused() {
        assertThat(valid(token(b -> b.audience(List.of("another-api"))))).isFalse();
        assertThat(valid(token(b -> b.claims(c -> c.remove("aud"))))).isFalse();
    }

    @Test
    void aTokenWithoutASubjectOrWithABlankOneIsRefused() {
        assertThat(valid(token(b -> b.claims(c -> c.remove("sub"))))).isFalse();
        assertThat(valid(token(b -> b.subject("  ")))).isFalse();
    }

    @Test
    void aTokenWithoutAnExpiryOrPastItIsRefused() {
        assertThat(valid(token(b -> b.claims(c -> c.remove("exp"))))).isFalse();
        assertThat(valid(token(b -> b.issuedAt(Instant.now().minusSeconds(3600))
                        .expiresAt(Instant.now().minusSeconds(600)))))
                .isFalse();
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        assertThat(valid(token(b -> b.issuer("https://evil.example/")))).isFalse();
    }

    @Test
    void theDevSigningKeyIsReadFromItsPkcs8PemFileAndItsPublicHalfVerifiesItsSignatures() throws Exception {
        DevSigningKey key =
                DevSigningKey.load(new FileSystemResource(Path.of("src/test/resources/dev/jwt-test-signing-key.pem")));

        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key.privateKey());
        signer.update("hello".getBytes(StandardCharsets.UTF_8));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key.publicKey());
        verifier.update("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(signature)).isTrue();
        assertThat(key.publicKey().getModulus()).isEqualTo(key.privateKey().getModulus());
    }

    @Test
    void aFileThatIsNotAPkcs8RsaKeyIsRefusedAtStart() {
        assertThatThrownBy(() -> DevSigningKey.load(
                        new ByteArrayResource("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"
                                .getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PKCS#8 RSA");
    }
}
