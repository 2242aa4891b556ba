package com.aiw3.gateway.auth;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * On every routed request: drop the identity a client sent, its token and the session cookie, then set
 * the signed identity of the validated token ({@link InternalIdentities}). Services verify that identity
 * and never see the token.
 */
@Component
class IdentityHeadersFilter implements GlobalFilter, Ordered {

    private final InternalIdentities identities;

    IdentityHeadersFilter(InternalIdentities identities) {
        this.identities = identities;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getPrincipal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(JwtAuthenticationToken.class::cast)
                .map(auth -> (ServerHttpRequest) exchange.getRequest()
                        .mutate()
                        .headers(headers -> identities.apply(auth.getToken(), headers))
                        .build())
                .switchIfEmpty(Mono.fromSupplier(() -> exchange.getRequest()
                        .mutate()
                        .headers(identities::strip)
                        .build()))
                .flatMap(request ->
                        chain.filter(exchange.mutate().request(request).build()));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
