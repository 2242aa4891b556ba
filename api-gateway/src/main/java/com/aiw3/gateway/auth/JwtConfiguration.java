package com.aiw3.gateway.auth;

import com.aiw3.gateway.GatewayProperties;
import com.aiw3.messaging.kafka.KafkaEventPublisher;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * RS256 tokens only. Production reads the identity provider's JWKS; a local run with dev tokens enabled
 * validates with the public half of the dev token signing key it was given. Either way the issuer, the audience, the expiry and a subject are required.
 */
@Configuration(proxyBeanMethods = false)
class JwtConfiguration {

    /** Verified tokens are kept at most this long, however far away their expiry is. */
    private static final Duration KEEP_VERIFIED = Duration.ofMinutes(5);

    @Bean
    ReactiveJwtDecoder jwtDecoder(GatewayProperties properties, SessionRevocations revocations) {
        GatewayProperties.Jwt jwt = properties.jwt();
        NimbusReactiveJwtDecoder decoder;
        if (jwt.jwkSetUri() != null) {
            decoder = NimbusReactiveJwtDecoder.withJwkSource(new RemoteJwks(
                            jwt.jwkSetUri(), jwt.jwksRefresh(), jwt.jwksMinInterval(), jwt.jwksTimeout()))
                    .jwsAlgorithm(SignatureAlgorithm.RS256)
                    .build();
        } else if (jwt.devTokens().enabled()) {
            decoder = NimbusReactiveJwtDecoder.withPublicKey(
                            DevSigningKey.load(jwt.devTokens().signingKey()).publicKey())
                    .signatureAlgorithm(SignatureAlgorithm.RS256)
                    .build();
        } else {
            throw new IllegalStateException(
                    "set aiw3.gateway.jwt.jwk-set-uri (or, in a local run only, enable aiw3.gateway.jwt.dev-tokens)");
        }
        decoder.setJwtValidator(validator(jwt.issuer(), jwt.audience()));
        ReactiveJwtDecoder verified =
                new VerifiedTokenCache(decoder, jwt.verifiedTokens(), KEEP_VERIFIED, Clock.systemUTC());
        // A valid token of a signed-out session is refused like an invalid one: 401 on every route.
        return token -> verified.decode(token).flatMap(revocations::check);
    }

    @Bean
    SessionRevocations sessionRevocations(
            GatewayProperties properties,
            ReactiveStringRedisTemplate redis,
            KafkaEventPublisher publisher,
            MeterRegistry meters) {
        return new SessionRevocations(
                redis,
                publisher,
                properties.session().revocationRecheck(),
                properties.jwt().verifiedTokens(),
                meters,
                Clock.systemUTC());
    }

    /**
     * Spring Security's validators: the default timestamp check and the issuer, the audience, and two
     * claims the default passes without: a subject that is not blank, and an expiry (without {@code exp} a
     * token would never expire).
     */
    static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
        return JwtValidators.createDefaultWithValidators(
                new JwtIssuerValidator(issuer),
                new JwtAudienceValidator(audience),
                new JwtClaimValidator<@Nullable String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank()),
                new JwtClaimValidator<@Nullable Instant>(JwtClaimNames.EXP, Objects::nonNull));
    }

    /** Only where dev tokens are enabled (a local run): the dev token endpoint signs with the configured key. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty(
            "aiw3.gateway.jwt.dev-tokens.enabled")
    DevTokens devTokens(GatewayProperties properties) {
        DevSigningKey key = DevSigningKey.load(properties.jwt().devTokens().signingKey());
        RSAKey jwk = new RSAKey.Builder(key.publicKey())
                .privateKey(key.privateKey())
                .keyID("aiw3-dev")
                .build();
        return new DevTokens(new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(jwk))), properties.jwt());
    }
}
