package com.aiw3.gateway.auth;

import com.aiw3.gateway.GatewayProperties;
import com.aiw3.web.IdentityProperties;
import com.aiw3.web.IdentitySigner;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway signs identities with {@code aiw3.identity.signing-key}: in production the private JWK from
 * the {@code aiw3-identity-signing-key} secret (api-gateway alone mounts it); in the local run and the tests
 * a key pair made at start. Without it the gateway does not start.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityProperties.class)
class InternalIdentityConfiguration {

    @Bean
    IdentitySigner identitySigner(IdentityProperties identity) {
        return IdentitySigner.fromJwk(identity.signingKey(), identity.lifetime(), Clock.systemUTC());
    }

    @Bean
    InternalIdentities internalIdentities(
            IdentitySigner signer, IdentityProperties identity, GatewayProperties properties) {
        return new InternalIdentities(
                signer,
                properties.jwt().verifiedTokens(),
                identity.lifetime(),
                properties.session().cookieName(),
                Clock.systemUTC());
    }
}
