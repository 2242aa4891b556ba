package com.aiw3.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one check every service makes before it believes who is calling: the identity header must be an
 * identity api-gateway signed ({@link IdentitySigner}) with a key in the configured set, for audience
 * {@code aiw3-internal}, not expired, and for a user token that has not expired. Anything else (no header,
 * an unsigned or tampered one, one signed by another key, an expired one) is a 401. A verified identity is
 * kept, keyed by its exact text, until it expires, so a client's repeated requests skip the signature check.
 */
public final class IdentityVerifier {

    /** The gateway's and the services' clocks may differ by this much. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private record Verified(Caller caller, Instant acceptedUntil) {}

    private final Map<String, JWSVerifier> keys;
    private final Cache<String, Verified> verified;
    private final boolean keeps;
    private final Clock clock;

    private IdentityVerifier(Map<String, JWSVerifier> keys, long cacheSize, Clock clock) {
        this.keys = Map.copyOf(keys);
        this.clock = clock;
        this.keeps = cacheSize > 0;
        this.verified = Caffeine.newBuilder()
                .maximumSize(cacheSize)
                .expireAfterWrite(Duration.ofMinutes(10))
                .build();
    }

    /**
     * @param publicJwkSet the gateway's public keys as a JWK set (JSON; several while a key is rotated),
     *                     EC P-256, each with a {@code kid}
     * @param cacheSize    how many verified identities are kept (0: none)
     */
    public static IdentityVerifier fromJwkSet(String publicJwkSet, long cacheSize, Clock clock) {
        if (publicJwkSet == null || publicJwkSet.isBlank()) {
            throw new IllegalStateException("set aiw3.identity.verification-keys (AIW3_IDENTITY_VERIFICATIONKEYS): the"
                    + " api-gateway's public identity keys as a JWK set");
        }
        Map<String, JWSVerifier> keys = new HashMap<>();
        try {
            for (JWK jwk : JWKSet.parse(publicJwkSet).getKeys()) {
                if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || ec.getKeyID() == null) {
                    throw new IllegalStateException(
                            "aiw3.identity.verification-keys holds only EC P-256 public keys with a kid (ES256)");
                }
                keys.put(ec.getKeyID(), new ECDSAVerifier(ec.toPublicJWK()));
            }
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("aiw3.identity.verification-keys is not a JWK set: " + e.getMessage(), e);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("aiw3.identity.verification-keys holds no key");
        }
        return new IdentityVerifier(keys, cacheSize, clock);
    }

    /** The caller the header names, or a 401 problem. */
    public Caller verify(@Nullable String header) {
        if (header == null || header.isBlank()) {
            throw new UnauthenticatedException(
                    "this endpoint needs an authenticated user (sign in through the api-gateway)");
        }
        Instant now = clock.instant();
        if (keeps) {
            Verified known = verified.getIfPresent(header);
            if (known != null && now.isBefore(known.acceptedUntil())) {
                return known.caller();
            }
        }
        Verified checked = check(header, now);
        if (keeps) {
            verified.put(header, checked);
        }
        return checked.caller();
    }

    private Verified check(String header, Instant now) {
        if (header.length() > SignedIdentity.MAX_LENGTH) {
            throw refused();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(header);
            JWSHeader jws = jwt.getHeader();
            JWSVerifier key = jws.getKeyID() == null ? null : keys.get(jws.getKeyID());
            if (!JWSAlgorithm.ES256.equals(jws.getAlgorithm())
                    || jws.getType() == null
                    || !SignedIdentity.TYPE.equals(jws.getType().getType())
                    || key == null
                    || !jwt.verify(key)) {
                throw refused();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Long tokenExpiry = claims.getLongClaim(SignedIdentity.TOKEN_EXPIRY);
            String sessionId = claims.getStringClaim(SignedIdentity.SESSION);
            List<String> roles = claims.getStringListClaim(SignedIdentity.ROLES);
            Date expiry = claims.getExpirationTime();
            if (!SignedIdentity.ISSUER.equals(claims.getIssuer())
                    || claims.getAudience() == null
                    || !claims.getAudience().contains(SignedIdentity.AUDIENCE)
                    || claims.getSubject() == null
                    || claims.getSubject().isBlank()
                    || expiry == null
                    || tokenExpiry == null
                    || sessionId == null
                    || sessionId.isBlank()) {
                throw refused();
            }
            Instant tokenExpiresAt = Instant.ofEpochSecond(tokenExpiry);
            Instant acceptedUntil = min(expiry.toInstant(), tokenExpiresAt).plus(CLOCK_SKEW);
            if (!now.isBefore(acceptedUntil)) {
                throw new UnauthenticatedException(
                        "the signed identity has expired: call again through the api-gateway");
            }
            Caller caller = new Caller(
                    claims.getSubject(),
                    Optional.ofNullable(claims.getStringClaim(SignedIdentity.WALLET)),
                    roles == null ? Set.of() : Set.copyOf(roles),
                    tokenExpiresAt,
                    sessionId);
            return new Verified(caller, acceptedUntil);
        } catch (ParseException | JOSEException | IllegalArgumentException | NullPointerException e) {
            throw refused();
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static UnauthenticatedException refused() {
        return new UnauthenticatedException(
                "the identity is not one the api-gateway signed: call this service through the api-gateway");
    }
}
