package com.aiw3.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the gateway ({@code aiw3.gateway.*}).
 *
 * @param downstream where each service answers
 * @param jwt        how tokens are validated (and, in the local profile only, issued)
 * @param session    the cookie browsers' EventSource authenticates with
 * @param cors       frontend origins allowed to call the API from a browser
 * @param limits     rate and concurrency limits, shared by every instance through Redis
 * @param streaming  the connection pool of event streams, apart from every other route's
 */
@Validated
@ConfigurationProperties("aiw3.gateway")
public record GatewayProperties(
        @Valid @NotNull Downstream downstream,
        @Valid @NotNull Jwt jwt,
        @Valid @NotNull @DefaultValue Session session,
        @Valid @NotNull @DefaultValue Cors cors,
        @Valid @NotNull @DefaultValue Limits limits,
        @Valid @NotNull @DefaultValue Streaming streaming) {

    /**
     * @param upgradeService      base URL of upgrade-service
     * @param sseGateway          base URL of sse-gateway
     * @param notificationService base URL of notification-service
     * @param analyticsService    base URL of analytics-service
     * @param auditService        base URL of audit-service
     */
    public record Downstream(
            @NotNull URI upgradeService,
            @NotNull URI sseGateway,
            @NotNull URI notificationService,
            @NotNull URI analyticsService,
            @NotNull URI auditService) {}

    /**
     * @param issuer             required {@code iss}
     * @param audience           required in {@code aud}
     * @param jwkSetUri          production: the identity provider's JWKS (RS256)
     * @param devTokens          the development token endpoint (off unless a local run turns it on)
     * @param verifiedTokens     how many verified tokens are kept so repeated requests skip the signature check (0: none)
     * @param jwksRefresh        how long fetched signing keys are used before they are fetched again (in the background)
     * @param jwksMinInterval    a token naming an unknown key fetches the keys again at most this often
     * @param jwksTimeout        connect and response timeout of a key fetch
     */
    public record Jwt(
            @NotBlank String issuer,
            @NotBlank String audience,
            URI jwkSetUri,
            @Valid @NotNull @DefaultValue DevTokens devTokens,
            @DefaultValue("10000") @Min(0) long verifiedTokens,
            @DefaultValue("5m") @NotNull Duration jwksRefresh,
            @DefaultValue("30s") @NotNull Duration jwksMinInterval,
            @DefaultValue("3s") @NotNull Duration jwksTimeout) {}

    /**
     * {@code POST /dev/token}: tokens signed with a key given to the gateway at start, accepted by the gateway when
     * no JWKS is configured. Never enabled in production; the local run and the system tests generate the key.
     *
     * @param enabled    offer the endpoint; requires a signing key
     * @param ttl        lifetime of the tokens it issues
     * @param signingKey a PKCS#8 RSA key (PEM) that signs the tokens and validates them; required when enabled
     */
    public record DevTokens(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("1h") @NotNull Duration ttl,
            Resource signingKey) {

        public DevTokens {
            if (enabled && signingKey == null) {
                throw new IllegalArgumentException(
                        "aiw3.gateway.jwt.dev-tokens.enabled=true needs aiw3.gateway.jwt.dev-tokens.signing-key"
                                + " (a PKCS#8 RSA key file, e.g. file:.local-run/jwt-dev-signing-key.pem)");
            }
        }
    }

    /**
     * @param cookieName        the HttpOnly, SameSite=Strict cookie holding the user's token
     * @param secure            set the Secure attribute (true everywhere but plain-HTTP local runs)
     * @param revocationRecheck a token found not signed out is trusted this long before Redis is asked again: how
     *                          late another instance may see a sign-out (keep it below sse-gateway's retry hint)
     */
    public record Session(
            @DefaultValue("aiw3_session") String cookieName,
            @DefaultValue("true") boolean secure,
            @DefaultValue("1s") @NotNull Duration revocationRecheck) {}

    /** @param allowedOrigins origins whose browser pages may call the API */
    public record Cors(
            @DefaultValue("http://localhost:3000") @NotEmpty List<String> allowedOrigins) {}

    /**
     * @param upgradeRequestsPerMinute upgrade requests one user may send per minute, from any address (429 beyond)
     * @param claimRequestsPerMinute   first-NFT claim requests one user may send per minute, from any address (429
     *                                 beyond)
     * @param sseStreamsPerIp          concurrent streams one IP may hold through all gateway instances: a ceiling against
     *                                 one address opening streams without end, far above what one user may hold
     *                                 (sse-gateway's {@code max-streams-per-user}), so users behind one NAT are
     *                                 not refused
     * @param maxRequestBytes          larger request bodies are refused with 413
     * @param trustedProxyHops         proxies in front of the gateway that each append to {@code X-Forwarded-For}
     *                                 (the ingress controller: 1); the per-address limits count the entry this many
     *                                 from the right, which a client cannot forge. 0: the connection's peer, and
     *                                 the header is ignored
     */
    public record Limits(
            @DefaultValue("5") @Min(1) int upgradeRequestsPerMinute,
            @DefaultValue("5") @Min(1) int claimRequestsPerMinute,
            @DefaultValue("200") @Min(1) int sseStreamsPerIp,
            @DefaultValue("1048576") @Min(1024) long maxRequestBytes,
            @DefaultValue("0") @Min(0) @Max(10) int trustedProxyHops) {}

    /**
     * Event streams (the SSE routes and the streaming upgrade) hold one connection to sse-gateway each for as long as
     * they last, in a pool of their own ({@code gateway-streams}), so they never starve the REST routes' pool.
     *
     * @param maxConnections concurrent streams this instance holds (its pool's size); one more is refused with 503
     * @param retryAfter     the {@code Retry-After} of that 503
     */
    public record Streaming(
            @DefaultValue("500") @Min(1) int maxConnections,
            @DefaultValue("5s") @NotNull Duration retryAfter) {}
}
