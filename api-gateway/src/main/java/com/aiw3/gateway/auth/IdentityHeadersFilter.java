package com.aiw3.gateway.auth;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * On every routed request: drop the identity a client sent, its token and the session cookie, then set
 * the signed identity of the validated token ({@link InternalIdentities}). Services verify that identity
 * and never see the token.
 *
 * <p>Two steps: as a global filter it notes the validated token on the exchange; as a headers filter it
 * writes the proxied request's headers from it, when the routing filter builds that request (the same for
 * the shared pool and the streams pool). The exchange's own request is not rebuilt on the way: a mutated
 * copy of the request and of its headers per call cost more than the headers filter's one copy.
 */
@Component
class IdentityHeadersFilter implements GlobalFilter, HttpHeadersFilter, Ordered {

    /** The exchange attribute holding the request's validated token, if it has one. */
    static final String TOKEN = IdentityHeadersFilter.class.getName() + ".token";

    private final InternalIdentities identities;

    IdentityHeadersFilter(InternalIdentities identities) {
        this.identities = identities;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getPrincipal()
                .doOnNext(principal -> {
                    if (principal instanceof JwtAuthenticationToken auth) {
                        exchange.getAttributes().put(TOKEN, auth.getToken());
                    }
                })
                .then(Mono.defer(() -> chain.filter(exchange)));
    }

    /** The proxied request's headers: the token's signed identity, or none at all without a token. */
    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        HttpHeaders headers = HttpHeaders.copyOf(input);
        Jwt token = exchange.getAttribute(TOKEN);
        if (token != null) {
            identities.apply(token, headers);
        } else {
            identities.strip(headers);
        }
        return headers;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
