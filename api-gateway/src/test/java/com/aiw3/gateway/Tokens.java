package com.aiw3.gateway;

import com.aiw3.gateway.auth.DevSigningKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/** Tokens for tests: good ones signed with the tests' dev token key, and every kind of bad one. */
final class Tokens {

    static final String ISSUER = "https://dev.aiw3.invalid/";
    static final String AUDIENCE = "aiw3-api";
    /**
     * The tests' dev token key, as a file URL (also for the gateway jar the benchmark starts): it is in the test
     * sources only, the artifact carries no private key.
     */
    static final String DEV_KEY_FILE = "file:"
            + java.nio.file.Path.of("src/test/resources/dev/jwt-test-signing-key.pem")
                    .toAbsolutePath();

    private Tokens() {}

    static String valid(String user, String... roles) {
        return sign(devKey(), ISSUER, AUDIENCE, user, Instant.now().plusSeconds(600), List.of(roles));
    }

    /** A token of the sign-in {@code sid} (its {@code sid} claim), as an identity provider issues one. */
    static String ofSession(String user, String sid) {
        var encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(devKey())));
        Instant expires = Instant.now().plusSeconds(600);
        var claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .audience(List.of(AUDIENCE))
                .subject(user)
                .issuedAt(expires.minusSeconds(1200))
                .expiresAt(expires)
                .claim("roles", List.of("user"))
                .claim("sid", sid)
                .build();
        return encoder.encode(JwtEncoderParameters.from(
                        JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
                .getTokenValue();
    }

    /** A token's {@code exp}, read without checking it. */
    static Instant expiryOf(String token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token)
                    .getJWTClaimsSet()
                    .getExpirationTime()
                    .toInstant();
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String signedByAnotherKey(String user) {
        try {
            var generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            var pair = generator.generateKeyPair();
            RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .build();
            return sign(key, ISSUER, AUDIENCE, user, Instant.now().plusSeconds(600), List.of("user"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String expired(String user) {
        return sign(devKey(), ISSUER, AUDIENCE, user, Instant.now().minusSeconds(600), List.of("user"));
    }

    /** Validly signed, but never expires. */
    static String withoutExpiry(String user) {
        var claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .audience(List.of(AUDIENCE))
                .subject(user)
                .issuedAt(Instant.now())
                .claim("roles", List.of("user"))
                .build();
        return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(devKey())))
                .encode(JwtEncoderParameters.from(
                        JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
                .getTokenValue();
    }

    static String wrongAudience(String user) {
        return sign(devKey(), ISSUER, "another-api", user, Instant.now().plusSeconds(600), List.of("user"));
    }

    static String wrongIssuer(String user) {
        return sign(
                devKey(), "https://evil.example/", AUDIENCE, user, Instant.now().plusSeconds(600), List.of("user"));
    }

    private static RSAKey devKey() {
        DevSigningKey key =
                DevSigningKey.load(new org.springframework.core.io.DefaultResourceLoader().getResource(DEV_KEY_FILE));
        return new RSAKey.Builder(key.publicKey()).privateKey(key.privateKey()).build();
    }

    private static String sign(
            RSAKey key, String issuer, String audience, String user, Instant expires, List<String> roles) {
        var encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
        var claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .audience(List.of(audience))
                .subject(user)
                .issuedAt(expires.minusSeconds(1200))
                .expiresAt(expires)
                .claim("roles", roles)
                .claim("wallet", "Wa11et" + user)
                .build();
        return encoder.encode(JwtEncoderParameters.from(
                        JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
                .getTokenValue();
    }
}
