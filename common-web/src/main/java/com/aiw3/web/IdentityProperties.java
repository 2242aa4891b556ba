package com.aiw3.web;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Keys of the signed identity ({@code aiw3.identity.*}). Production reads them from Kubernetes secrets
 * through the environment; the local run and the tests generate a pair at start. There is no default key.
 *
 * @param verificationKeys   every service: the api-gateway's public keys, a JWK set (JSON)
 * @param signingKey         api-gateway only: its private key, an EC P-256 JWK (JSON) with a {@code kid}
 * @param lifetime           api-gateway: how long one signed identity is accepted at most
 * @param verifiedIdentities services: how many verified identities are kept to skip repeated checks (0: none)
 */
@Validated
@ConfigurationProperties("aiw3.identity")
public record IdentityProperties(
        @Size(max = 20_000) String verificationKeys,
        @Size(max = 20_000) String signingKey,
        @DefaultValue("5m") Duration lifetime,
        @DefaultValue("10000") @Min(0) long verifiedIdentities) {}
