package com.aiw3.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityVerifierTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final IdentityKeys GATEWAY = IdentityKeys.generate("gateway-1");

    private final IdentitySigner signer = IdentitySigner.fromJwk(GATEWAY.signingKey(), Duration.ofMinutes(5), CLOCK);
    private final IdentityVerifier verifier = IdentityVerifier.fromJwkSet(GATEWAY.verificationKeys(), 100, CLOCK);

    @Test
    void anIdentityTheGatewaySignedNamesTheCallerItsTokensExpiryAndSession() {
        Instant tokenExpiry = NOW.plus(Duration.ofHours(1));
        IdentitySigner.Signed signed =
                signer.sign("alice", "Wa11et", List.of("user", "operator"), tokenExpiry, "session-1");

        Caller caller = verifier.verify(signed.value());

        assertThat(caller.userId()).isEqualTo("alice");
        assertThat(caller.wallet()).hasValue("Wa11et");
        assertThat(caller.roles()).containsExactlyInAnyOrder("user", "operator");
        assertThat(caller.expiresAt()).isEqualTo(tokenExpiry);
        assertThat(caller.sessionId()).isEqualTo("session-1");
        assertThat(signed.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aSignedIdentityNeverOutlivesTheUsersToken() {
        Instant tokenExpiry = NOW.plusSeconds(40);
        assertThat(signer.sign("alice", null, List.of(), tokenExpiry, "s").expiresAt())
                .isEqualTo(tokenExpiry);
    }

    @Test
    void noIdentityIsUnauthenticated() {
        assertRefused(null);
        assertRefused("");
    }

    @Test
    void anIdentitySignedWithAnotherKeyIsRefusedEvenWithTheGatewaysKeyId() {
        IdentityKeys other = IdentityKeys.generate("gateway-1");
        String forged = IdentitySigner.fromJwk(other.signingKey(), Duration.ofMinutes(5), CLOCK)
                .sign("mallory", null, List.of("operator"), NOW.plusSeconds(600), "s")
                .value();
        assertRefused(forged);
    }

    @Test
    void anEditedIdentityIsRefused() {
        String[] parts = signer.sign("alice", null, List.of("user"), NOW.plusSeconds(600), "s")
                .value()
                .split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"user\"", "\"operator\"");
        assertRefused(parts[0] + "." + base64(payload) + "." + parts[2]);
    }

    @Test
    void anUnsignedIdentityIsRefused() {
        String unsigned = new PlainJWT(claims("mallory", NOW.plusSeconds(60)).build()).serialize();
        assertRefused(unsigned);
        assertRefused(base64("{\"alg\":\"none\"}") + "." + base64("{\"sub\":\"mallory\"}") + ".");
        assertRefused("not a jwt");
    }

    @Test
    void anExpiredIdentityIsRefused() {
        String identity = signer.sign("alice", null, List.of("user"), NOW.plusSeconds(600), "s")
                .value();
        IdentityVerifier later = IdentityVerifier.fromJwkSet(
                GATEWAY.verificationKeys(), 100, Clock.offset(CLOCK, Duration.ofMinutes(6)));
        assertThat(verifier.verify(identity).userId()).isEqualTo("alice");
        assertThatThrownBy(() -> later.verify(identity))
                .isInstanceOf(UnauthenticatedException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void anIdentityOfAnExpiredTokenIsRefused() {
        assertRefused(signer.sign("alice", null, List.of("user"), NOW.minusSeconds(60), "s")
                .value());
    }

    @Test
    void aTokenSignedByTheRightKeyButNotAnIdentityIsRefused() throws Exception {
        // The same key signing a JWT of another type or for another audience is not an identity.
        ECKey key = ECKey.parse(GATEWAY.signingKey());
        SignedJWT otherAudience = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .keyID("gateway-1")
                        .type(new com.nimbusds.jose.JOSEObjectType(SignedIdentity.TYPE))
                        .build(),
                claims("alice", NOW.plusSeconds(60)).audience("aiw3-api").build());
        otherAudience.sign(new ECDSASigner(key));
        assertRefused(otherAudience.serialize());

        SignedJWT untyped = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("gateway-1").build(),
                claims("alice", NOW.plusSeconds(60)).build());
        untyped.sign(new ECDSASigner(key));
        assertRefused(untyped.serialize());
    }

    @Test
    void duringARotationIdentitiesOfEitherKeyAreAccepted() {
        IdentityKeys next = IdentityKeys.generate("gateway-2");
        String both = "{\"keys\":[" + publicKeyOf(GATEWAY) + "," + publicKeyOf(next) + "]}";
        IdentityVerifier rotating = IdentityVerifier.fromJwkSet(both, 0, CLOCK);
        IdentitySigner nextSigner = IdentitySigner.fromJwk(next.signingKey(), Duration.ofMinutes(5), CLOCK);

        assertThat(rotating.verify(signer.sign("a", null, List.of(), NOW.plusSeconds(600), "s")
                                .value())
                        .userId())
                .isEqualTo("a");
        assertThat(rotating.verify(nextSigner
                                .sign("b", null, List.of(), NOW.plusSeconds(600), "s")
                                .value())
                        .userId())
                .isEqualTo("b");
    }

    @Test
    void aServiceWithoutKeysOrWithAPrivateKeyDoesNotStart() {
        assertThatThrownBy(() -> IdentityVerifier.fromJwkSet(null, 0, CLOCK))
                .hasMessageContaining("aiw3.identity.verification-keys");
        assertThatThrownBy(() -> IdentitySigner.fromJwk(publicKeyOf(GATEWAY), Duration.ofMinutes(5), CLOCK))
                .hasMessageContaining("private");
    }

    private void assertRefused(String identity) {
        assertThatThrownBy(() -> verifier.verify(identity))
                .isInstanceOfSatisfying(
                        UnauthenticatedException.class,
                        e -> assertThat(e.getStatusCode().value()).isEqualTo(401));
    }

    private static JWTClaimsSet.Builder claims(String user, Instant expiry) {
        return new JWTClaimsSet.Builder()
                .issuer(SignedIdentity.ISSUER)
                .audience(SignedIdentity.AUDIENCE)
                .subject(user)
                .expirationTime(Date.from(expiry))
                .claim(SignedIdentity.ROLES, List.of("operator"))
                .claim(SignedIdentity.SESSION, "s")
                .claim(SignedIdentity.TOKEN_EXPIRY, expiry.getEpochSecond());
    }

    private static String publicKeyOf(IdentityKeys keys) {
        try {
            return ECKey.parse(keys.signingKey()).toPublicJWK().toJSONString();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
