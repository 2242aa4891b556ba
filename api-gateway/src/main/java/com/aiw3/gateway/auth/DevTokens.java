package com.aiw3.gateway.auth;

import com.aiw3.gateway.GatewayProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/** Issues development tokens (only where aiw3.gateway.jwt.dev-tokens is enabled), shaped like the identity provider's. */
final class DevTokens {

    private final JwtEncoder encoder;
    private final GatewayProperties.Jwt config;

    DevTokens(JwtEncoder encoder, GatewayProperties.Jwt config) {
        this.encoder = encoder;
        this.config = config;
    }

    public String issue(String userId, String wallet, List<String> roles) {
        Instant now = Instant.now();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(config.issuer())
                .audience(List.of(config.audience()))
                .subject(userId)
                .issuedAt(now)
                .expiresAt(now.plus(config.devTokens().ttl()))
                .id(UUID.randomUUID().toString())
                // Each issued token is a sign-in of its own: its session ends when it expires.
                .claim(JwtIdentity.SESSION_CLAIM, UUID.randomUUID().toString())
                .claim(JwtIdentity.ROLES_CLAIM, roles);
        if (wallet != null && !wallet.isBlank()) {
            claims.claim(JwtIdentity.WALLET_CLAIM, wallet);
        }
        return encoder.encode(JwtEncoderParameters.from(
                        JwsHeader.with(SignatureAlgorithm.RS256)
                                .keyId("aiw3-dev")
                                .build(),
                        claims.build()))
                .getTokenValue();
    }

    public long ttlSeconds() {
        return config.devTokens().ttl().toSeconds();
    }
}
