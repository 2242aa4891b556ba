package com.aiw3.gateway.auth;

import com.aiw3.gateway.GatewayProperties;
import com.aiw3.gateway.ProblemWriter;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;

/**
 * Every API path needs a valid token; audit and broadcasts need the operator role here already (services
 * check again). 401 and 403 are problem+json. CSRF protection is not needed for bearer tokens; the session
 * cookie is accepted only for GET (streams), and it is SameSite=Strict.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, GatewayProperties properties) {
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                // Stateless: the token (or the session cookie holding one) comes with every request. The
                // defaults keep the security context and the request cache in a WebSession, which made
                // every request create one (its id from SecureRandom on boundedElastic, then a hop to
                // parallel): about a fifth of a proxied request's CPU in GatewayOverheadBenchmark.
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .cors(cors -> cors.configurationSource(cors(properties)))
                .authorizeExchange(paths -> paths.pathMatchers(HttpMethod.OPTIONS)
                        .permitAll()
                        .pathMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus")
                        .permitAll()
                        .pathMatchers(HttpMethod.POST, DevTokenController.PATH)
                        .permitAll()
                        // The demo page's static files (served only where configured: the local run).
                        .pathMatchers(HttpMethod.GET, "/demo/**")
                        .permitAll()
                        .pathMatchers("/api/v1/audit/**", "/api/v1/notifications/broadcasts/**", "/actuator/**")
                        .hasRole("operator")
                        .anyExchange()
                        .authenticated())
                .oauth2ResourceServer(resource -> resource.bearerTokenConverter(
                                bearerOrSessionCookie(properties.session().cookieName()))
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(SecurityConfiguration::authentication))
                        .authenticationEntryPoint((exchange, e) -> ProblemWriter.write(
                                exchange,
                                HttpStatus.UNAUTHORIZED,
                                "a valid bearer token is required: " + e.getMessage()))
                        .accessDeniedHandler((exchange, e) ->
                                ProblemWriter.write(exchange, HttpStatus.FORBIDDEN, "your roles do not allow this")))
                .exceptionHandling(errors -> errors.authenticationEntryPoint((exchange, e) -> ProblemWriter.write(
                                exchange, HttpStatus.UNAUTHORIZED, "a valid bearer token is required"))
                        .accessDeniedHandler((exchange, e) ->
                                ProblemWriter.write(exchange, HttpStatus.FORBIDDEN, "your roles do not allow this")))
                .build();
    }

    @Bean
    ServerWebExchangeFirewall firewall() {
        return new EagerFirewall();
    }

    /**
     * No observation wrappers around the security filters, authentication and authorization: they are spans
     * for tracing, which is not set up, and the wrappers cost about 3% of a proxied request's CPU even with
     * every observation switched off. Authentication failures still show as 401s in http.server.requests.
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    private static Mono<AbstractAuthenticationToken> authentication(Jwt jwt) {
        return Mono.just(new JwtAuthenticationToken(jwt, JwtIdentity.authorities(jwt), jwt.getSubject()));
    }

    /**
     * The Authorization header first; for GET requests without one, the session cookie (EventSource
     * cannot set headers). Never a token in the URL.
     */
    static ServerAuthenticationConverter bearerOrSessionCookie(String cookieName) {
        return exchange -> bearerHeader(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
                .switchIfEmpty(Mono.defer(() -> {
                    if (exchange.getRequest().getMethod() != HttpMethod.GET) {
                        return Mono.empty();
                    }
                    HttpCookie cookie = exchange.getRequest().getCookies().getFirst(cookieName);
                    return cookie == null || cookie.getValue().isBlank()
                            ? Mono.empty()
                            : Mono.just(new BearerTokenAuthenticationToken(cookie.getValue()));
                }));
    }

    /**
     * RFC 6750's {@code Bearer <b64token>}, accepted and refused exactly as Spring Security's
     * ServerBearerTokenAuthenticationConverter does, without its regular expression: matching that against a
     * 700-character token on every request was 8% of a proxied request's CPU (GatewayOverheadBenchmark).
     * Another scheme, or none, is no bearer token (empty); a bearer token with other characters is an error.
     */
    static Mono<Authentication> bearerHeader(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "bearer", 0, 6)) {
            return Mono.empty();
        }
        int start = 7;
        int end = authorization.length();
        boolean wellFormed = end > start && authorization.charAt(6) == ' ';
        int padding = end;
        while (wellFormed && padding > start && authorization.charAt(padding - 1) == '=') {
            padding--;
        }
        wellFormed &= padding > start;
        for (int i = start; wellFormed && i < padding; i++) {
            char c = authorization.charAt(i);
            wellFormed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '+'
                    || c == '/';
        }
        return wellFormed
                ? Mono.just(new BearerTokenAuthenticationToken(authorization.substring(start)))
                : Mono.error(
                        new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed")));
    }

    private static CorsConfigurationSource cors(GatewayProperties properties) {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(properties.cors().allowedOrigins());
        config.setAllowedMethods(List.of("GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"));
        // What the TypeScript client and EventSource polyfills send: Cache-Control: no-cache on streams.
        config.setAllowedHeaders(List.of(
                "Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID", "Accept", "Cache-Control"));
        // What a cross-origin app reads back: the created process (Location, X-Upgrade-Id on a POST that
        // streams), whether a retried write was replayed, and when to retry a refusal.
        config.setExposedHeaders(List.of("Retry-After", "Location", "X-Upgrade-Id", "Idempotent-Replayed"));
        config.setAllowCredentials(true);
        config.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", config);
        return source;
    }
}
