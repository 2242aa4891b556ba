package com.aiw3.gateway.ratelimit;

import com.aiw3.gateway.GatewayProperties;
import com.aiw3.gateway.ProblemWriter;
import java.security.Principal;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * At most N upgrade requests per minute per user (whatever address they come from), across all gateway
 * instances: a token bucket of N, so N at once and then one every 60/N seconds.
 */
@Component
class UpgradeRateLimitFilter implements WebFilter, Ordered {

    private static final Duration PERIOD = Duration.ofMinutes(1);

    private final SharedCounters counters;
    private final int limit;

    UpgradeRateLimitFilter(SharedCounters counters, GatewayProperties properties) {
        this.counters = counters;
        this.limit = properties.limits().upgradeRequestsPerMinute();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!LimitedRequests.isUpgrade(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal()
                .map(Principal::getName)
                .map(user -> "rl:upgrade:user:" + user)
                // Security refuses unauthenticated upgrades before this filter; the address is only a fallback.
                .defaultIfEmpty("rl:upgrade:ip:" + ClientAddress.of(exchange))
                .flatMap(key -> counters.take(key, limit, PERIOD))
                .flatMap(decision -> decision.allowed()
                        ? chain.filter(exchange)
                        : ProblemWriter.write(
                                exchange,
                                HttpStatus.TOO_MANY_REQUESTS,
                                "at most " + limit + " upgrade requests per minute; try again later",
                                decision.retryAfter()));
    }

    /** After authentication (Spring Security's filter chain runs at -100). */
    @Override
    public int getOrder() {
        return 0;
    }
}
