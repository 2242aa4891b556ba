package com.aiw3.gateway.ratelimit;

import com.aiw3.gateway.GatewayProperties;
import com.aiw3.gateway.ProblemWriter;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Caps the concurrent SSE streams of one client address across all gateway instances (every stream path and
 * alias, however it is encoded); the excess gets 429.
 */
@Component
class StreamConcurrencyFilter implements WebFilter, Ordered {

    private static final Duration LEAK_GUARD = Duration.ofHours(2);

    private final SharedCounters counters;
    private final int max;
    private final int trustedProxyHops;

    StreamConcurrencyFilter(SharedCounters counters, GatewayProperties properties) {
        this.counters = counters;
        this.max = properties.limits().sseStreamsPerIp();
        this.trustedProxyHops = properties.limits().trustedProxyHops();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!LimitedRequests.isStream(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        String key = "sse:ip:" + ClientAddress.of(exchange, trustedProxyHops);
        return counters.tryAcquire(key, max, LEAK_GUARD).flatMap(permit -> switch (permit) {
            case COUNTED ->
                chain.filter(exchange).doFinally(signal -> counters.release(key).subscribe());
            // Let through when Redis is out of reach, but give nothing back later: releasing a slot
            // that was never counted drove the shared count below zero (found at 1,000 streams).
            case UNCOUNTED -> chain.filter(exchange);
            case REFUSED ->
                ProblemWriter.write(
                        exchange,
                        HttpStatus.TOO_MANY_REQUESTS,
                        "at most " + max + " concurrent streams per client address",
                        Duration.ofSeconds(5));
        });
    }

    @Override
    public int getOrder() {
        return 1;
    }
}
