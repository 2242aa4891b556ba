package com.aiw3.gateway.ratelimit;

import com.aiw3.gateway.GatewayProperties;
import com.aiw3.gateway.ProblemWriter;
import java.time.Duration;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** At most N upgrade requests per minute per user and IP, across all gateway instances (429 beyond). */
@Component
class UpgradeRateLimitFilter implements WebFilter, Ordered {

    static final Set<String> UPGRADE_PATHS = Set.of("/api/v1/nft/upgrade", "/api/nft/upgrade");
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final SharedCounters counters;
    private final int limit;

    UpgradeRateLimitFilter(SharedCounters counters, GatewayProperties properties) {
        this.counters = counters;
        this.limit = properties.limits().upgradeRequestsPerMinute();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getMethod() != HttpMethod.POST
                || !UPGRADE_PATHS.contains(exchange.getRequest().getPath().value())) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal()
                .map(principal -> principal.getName())
                .defaultIfEmpty("anonymous")
                .flatMap(user ->
                        counters.countInWindow("rl:upgrade:" + user + ":" + ClientAddress.of(exchange), limit, WINDOW))
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
