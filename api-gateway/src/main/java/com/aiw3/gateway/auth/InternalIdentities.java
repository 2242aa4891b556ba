package com.aiw3.gateway.auth;

import com.aiw3.web.IdentityHeaders;
import com.aiw3.web.IdentitySigner;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What a service learns about the caller of a proxied request: the signed identity header
 * ({@link IdentityHeaders#IDENTITY}) made from the validated token, and nothing else of the user's
 * credentials. A client's own identity header, its Authorization header and the session cookie (which
 * holds the whole token) never reach a service.
 *
 * <p>Signing costs an ECDSA signature, so a token's identity is signed once and kept with the token's
 * text as the key (as verified tokens are, {@link VerifiedTokenCache}); it is signed again shortly before
 * it expires, or when the token nears its own expiry, never past it.
 */
public final class InternalIdentities {

    /** Legacy plain headers no service reads any more; dropped so none can be mistaken for an identity. */
    private static final List<String> PLAIN_HEADERS = List.of("X-AIW3-User-Id", "X-AIW3-Wallet", "X-AIW3-Roles");

    private final IdentitySigner signer;
    private final Cache<String, IdentitySigner.Signed> signed;
    private final boolean keeps;
    private final Duration resignBefore;
    private final String sessionCookie;
    private final Clock clock;

    InternalIdentities(IdentitySigner signer, long maximumSize, Duration lifetime, String sessionCookie, Clock clock) {
        this.signer = signer;
        this.keeps = maximumSize > 0;
        this.signed = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(lifetime)
                .build();
        Duration half = lifetime.dividedBy(2);
        this.resignBefore = half.compareTo(Duration.ofMinutes(1)) < 0 ? half : Duration.ofMinutes(1);
        this.sessionCookie = sessionCookie;
        this.clock = clock;
    }

    /** Drops the user's credentials and any identity a client sent, then sets the token's signed identity. */
    public void apply(Jwt jwt, HttpHeaders headers) {
        headers.remove(HttpHeaders.AUTHORIZATION);
        strip(headers);
        headers.set(IdentityHeaders.IDENTITY, identityOf(jwt));
    }

    /** Drops any identity a client sent and the session cookie: for requests without a token too. */
    public void strip(HttpHeaders headers) {
        headers.remove(IdentityHeaders.IDENTITY);
        PLAIN_HEADERS.forEach(headers::remove);
        List<String> cookies = headers.get(HttpHeaders.COOKIE);
        if (cookies != null) {
            List<String> kept = new ArrayList<>();
            for (String header : cookies) {
                Arrays.stream(header.split(";"))
                        .map(String::trim)
                        .filter(pair -> !pair.isEmpty() && !cookieName(pair).equals(sessionCookie))
                        .forEach(kept::add);
            }
            if (kept.isEmpty()) {
                headers.remove(HttpHeaders.COOKIE);
            } else {
                headers.set(HttpHeaders.COOKIE, String.join("; ", kept));
            }
        }
    }

    String identityOf(Jwt jwt) {
        Instant now = clock.instant();
        IdentitySigner.Signed known = keeps ? signed.getIfPresent(jwt.getTokenValue()) : null;
        if (known != null && fresh(known, jwt, now)) {
            return known.value();
        }
        Instant tokenExpiry = jwt.getExpiresAt();
        if (tokenExpiry == null) {
            // The decoder refuses tokens without exp; this is only the last line.
            throw new IllegalStateException("a validated token without exp");
        }
        IdentitySigner.Signed fresh = signer.sign(
                jwt.getSubject(), JwtIdentity.wallet(jwt), JwtIdentity.roles(jwt), tokenExpiry, sessionId(jwt));
        if (keeps) {
            signed.put(jwt.getTokenValue(), fresh);
        }
        return fresh.value();
    }

    /** Still good for a while, or as good as it gets: already up to the token's own expiry. */
    private boolean fresh(IdentitySigner.Signed known, Jwt jwt, Instant now) {
        if (!now.isBefore(known.expiresAt())) {
            return false;
        }
        Instant tokenExpiry = jwt.getExpiresAt();
        return now.isBefore(known.expiresAt().minus(resignBefore))
                || (tokenExpiry != null && known.expiresAt().getEpochSecond() >= tokenExpiry.getEpochSecond());
    }

    /** The token's {@code sid}; else its {@code jti}; else a digest of the token: stable for the token's life. */
    static String sessionId(Jwt jwt) {
        String sid = jwt.getClaimAsString(JwtIdentity.SESSION_CLAIM);
        if (sid != null && !sid.isBlank()) {
            return sid;
        }
        String jti = jwt.getId();
        if (jti != null && !jti.isBlank()) {
            return "jti:" + jti;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(jwt.getTokenValue().getBytes(StandardCharsets.US_ASCII));
            return "token:" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cookieName(String pair) {
        int equals = pair.indexOf('=');
        return (equals < 0 ? pair : pair.substring(0, equals)).trim();
    }
}
