package com.aiw3.web;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Resolves {@link Caller} parameters of WebFlux controllers from the signed identity, or answers 401. */
final class ReactiveCallerArgumentResolver implements HandlerMethodArgumentResolver {

    private final IdentityVerifier verifier;

    ReactiveCallerArgumentResolver(IdentityVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Mono<Object> resolveArgument(
            MethodParameter parameter, BindingContext bindingContext, ServerWebExchange exchange) {
        return Mono.fromCallable(
                () -> verifier.verify(exchange.getRequest().getHeaders().getFirst(IdentityHeaders.IDENTITY)));
    }
}
