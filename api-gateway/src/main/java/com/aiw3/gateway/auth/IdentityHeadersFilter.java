package com.aiw3.gateway.auth;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * On every routed request: drop identity headers and the token a client sent, then set the identity
 * headers from the validated token. Services trust these headers and never see the token.
 */
@Component
class IdentityHeadersFilter implements GlobalFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getPrincipal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(JwtAuthenticationToken.class::cast)
                .map(auth -> (ServerHttpRequest) exchange.getRequest()
                        .mutate()
                        .headers(headers -> {
                            headers.remove(HttpHeaders.AUTHORIZATION);
                            JwtIdentity.apply(auth.getToken(), headers);
                        })
                        .build())
                .defaultIfEmpty(exchange.getRequest()
                        .mutate()
                        .headers(JwtIdentity::strip)
                        .build())
                .flatMap(request ->
                        chain.filter(exchange.mutate().request(request).build()));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
