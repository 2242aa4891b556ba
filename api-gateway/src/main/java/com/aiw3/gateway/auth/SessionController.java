package com.aiw3.gateway.auth;

import com.aiw3.gateway.GatewayProperties;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Opens and ends the browser's session. Browsers' EventSource cannot send an Authorization header. After signing in, the app calls
 * {@code POST /api/v1/auth/session} with its bearer token; the gateway answers with an HttpOnly,
 * SameSite=Strict cookie holding the same token, which streams then authenticate with. Page scripts
 * cannot read it, and no token ever appears in a URL.
 */
@RestController
class SessionController {

    private final GatewayProperties.Session session;
    private final SessionRevocations revocations;

    SessionController(GatewayProperties properties, SessionRevocations revocations) {
        this.session = properties.session();
        this.revocations = revocations;
    }

    @PostMapping("/api/v1/auth/session")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void open(JwtAuthenticationToken authentication, ServerWebExchange exchange) {
        Instant expires = authentication.getToken().getExpiresAt();
        Duration maxAge = expires == null ? Duration.ofHours(1) : Duration.between(Instant.now(), expires);
        exchange.getResponse().addCookie(cookie(authentication.getToken().getTokenValue(), maxAge));
    }

    /**
     * Signs out: the session of the calling token is revoked until the token would have expired (that token,
     * every token of the same session and the session cookie are refused with 401 from then on, on every
     * instance), its open streams end with {@code logged_out}, and the cookie is cleared.
     */
    @DeleteMapping("/api/v1/auth/session")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> close(JwtAuthenticationToken authentication, ServerWebExchange exchange) {
        return revocations
                .revoke(authentication.getToken())
                .onErrorMap(e -> new ResponseStatusException(
                        HttpStatus.SERVICE_UNAVAILABLE, "the sign-out could not be recorded: try again", e))
                .then(Mono.fromRunnable(() -> exchange.getResponse().addCookie(cookie("", Duration.ZERO))));
    }

    private ResponseCookie cookie(String value, Duration maxAge) {
        return ResponseCookie.from(session.cookieName(), value)
                .httpOnly(true)
                .secure(session.secure())
                .sameSite("Strict")
                .path("/")
                .maxAge(maxAge)
                .build();
    }
}
