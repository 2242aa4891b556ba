package com.aiw3.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Signs callers into the identity header ({@link IdentityHeaders#IDENTITY}). Only api-gateway holds the
 * private key; the services hold the public key alone, so a compromised service cannot make identities.
 * Each signed identity lives at most {@code lifetime}, and never past the user's token.
 */
public final class IdentitySigner {

    /**
     * A signed identity and when it stops being accepted.
     *
     * @param value     the header value
     * @param expiresAt its {@code exp}
     */
    public record Signed(String value, Instant expiresAt) {}

    private final ECDSASigner signer;
    private final JWSHeader header;
    private final Duration lifetime;
    private final Clock clock;

    private IdentitySigner(ECKey key, Duration lifetime, Clock clock) throws JOSEException {
        this.signer = new ECDSASigner(key);
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType(SignedIdentity.TYPE))
                .keyID(key.getKeyID())
                .build();
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * @param privateJwk an EC P-256 private key as a JWK (JSON) with a {@code kid}
     * @param lifetime   how long one signed identity is accepted at most
     */
    public static IdentitySigner fromJwk(String privateJwk, Duration lifetime, Clock clock) {
        if (privateJwk == null || privateJwk.isBlank()) {
            throw new IllegalStateException("set aiw3.identity.signing-key (AIW3_IDENTITY_SIGNINGKEY): the gateway's"
                    + " EC P-256 private key as a JWK");
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalStateException("aiw3.identity.lifetime must be positive");
        }
        try {
            ECKey key = ECKey.parse(privateJwk);
            if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve()) || key.getKeyID() == null) {
                throw new IllegalStateException(
                        "aiw3.identity.signing-key must be a private EC P-256 JWK with a kid (ES256)");
            }
            return new IdentitySigner(key, lifetime, clock);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("aiw3.identity.signing-key is not an EC JWK: " + e.getMessage(), e);
        }
    }

    /**
     * Signs the caller for at most the lifetime from now and never past {@code tokenExpiresAt}.
     *
     * @param tokenExpiresAt the user's access token's expiry
     * @param sessionId      the sign-in this token belongs to
     */
    public Signed sign(
            String userId, @Nullable String wallet, List<String> roles, Instant tokenExpiresAt, String sessionId) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime);
        if (tokenExpiresAt.isBefore(expiresAt)) {
            expiresAt = tokenExpiresAt;
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(SignedIdentity.ISSUER)
                .audience(SignedIdentity.AUDIENCE)
                .subject(userId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .claim(SignedIdentity.ROLES, List.copyOf(roles))
                .claim(SignedIdentity.SESSION, sessionId)
                .claim(SignedIdentity.TOKEN_EXPIRY, tokenExpiresAt.getEpochSecond());
        if (wallet != null && !wallet.isBlank()) {
            claims.claim(SignedIdentity.WALLET, wallet);
        }
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an identity", e);
        }
        // Whole seconds, as exp carries them.
        return new Signed(jwt.serialize(), Instant.ofEpochSecond(expiresAt.getEpochSecond()));
    }
}
