package com.aiw3.gateway.auth;

import com.aiw3.gateway.GatewayProperties;
import java.time.Instant;
import java.util.List;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/** Issues development tokens (local profile only), shaped like the identity provider's. */
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
                .expiresAt(now.plus(config.devTokenTtl()))
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
        return config.devTokenTtl().toSeconds();
    }
}
