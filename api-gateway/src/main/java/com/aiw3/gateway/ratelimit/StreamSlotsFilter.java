package com.aiw3.gateway.ratelimit;

import com.aiw3.gateway.GatewayProperties;
import com.aiw3.gateway.ProblemWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Admits at most {@code aiw3.gateway.streaming.max-connections} concurrent streams on this instance, as many as
 * its streams pool holds: one more is answered 503 with {@code Retry-After} at once, where it would otherwise
 * wait for a pool slot until the acquire timeout. Counted as {@code aiw3_gateway_streams_active} and
 * {@code aiw3_gateway_streams_refused_total}.
 */
@Component
class StreamSlotsFilter implements WebFilter, Ordered {

    private final AtomicInteger active = new AtomicInteger();
    private final int max;
    private final Duration retryAfter;
    private final Counter refused;

    StreamSlotsFilter(GatewayProperties properties, MeterRegistry meters) {
        this.max = properties.streaming().maxConnections();
        this.retryAfter = properties.streaming().retryAfter();
        Gauge.builder("aiw3.gateway.streams.active", active, AtomicInteger::get)
                .description("event streams this instance holds open (its streams pool's connections in use)")
                .register(meters);
        this.refused = Counter.builder("aiw3.gateway.streams.refused")
                .description("event streams refused with 503 because every streams pool slot was taken")
                .register(meters);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!LimitedRequests.isStream(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        if (active.incrementAndGet() > max) {
            active.decrementAndGet();
            refused.increment();
            return ProblemWriter.write(
                    exchange,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "this gateway instance holds its maximum of " + max + " streams; try again shortly",
                    retryAfter);
        }
        AtomicBoolean released = new AtomicBoolean();
        return chain.filter(exchange).doFinally(signal -> {
            if (released.compareAndSet(false, true)) {
                active.decrementAndGet();
            }
        });
    }

    /** After the per-address cap: a client over its own limit gets its 429, and takes no slot. */
    @Override
    public int getOrder() {
        return 2;
    }
}
