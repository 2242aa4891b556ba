package com.aiw3.gateway.resilience;

import com.aiw3.gateway.GatewayProperties;
import com.aiw3.gateway.ProblemWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses bodies over the limit with 413: at once from Content-Length, and while streaming for chunked
 * bodies that do not declare one.
 */
@Component
class RequestSizeFilter implements WebFilter, Ordered {

    private final long max;

    RequestSizeFilter(GatewayProperties properties) {
        this.max = properties.limits().maxRequestBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > max) {
            return ProblemWriter.write(
                    exchange, HttpStatus.CONTENT_TOO_LARGE, "request bodies are limited to " + max + " bytes");
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        AtomicLong seen = new AtomicLong();
        var limited = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().doOnNext(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > max) {
                        throw new ResponseStatusException(
                                HttpStatus.CONTENT_TOO_LARGE, "request bodies are limited to " + max + " bytes");
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(limited).build());
    }

    /** Before authentication: an oversized body is refused without reading it. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
