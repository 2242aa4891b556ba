package com.aiw3.gateway.ratelimit;

import com.aiw3.gateway.GatewayProperties;
import com.aiw3.gateway.ProblemWriter;
import java.security.Principal;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * At most N upgrade requests and M claim requests per minute per user (whatever address they come from),
 * across all gateway instances: a token bucket per user and kind, so N at once and then one every 60/N
 * seconds. Each starts a process that mints on chain, so a burst beyond the bucket is refused before it
 * reaches upgrade-service.
 */
@Component
class ProcessStartRateLimitFilter implements WebFilter, Ordered {

    private static final Duration PERIOD = Duration.ofMinutes(1);

    private final SharedCounters counters;
    private final int upgradeLimit;
    private final int claimLimit;
    private final int trustedProxyHops;

    ProcessStartRateLimitFilter(SharedCounters counters, GatewayProperties properties) {
        this.counters = counters;
        this.upgradeLimit = properties.limits().upgradeRequestsPerMinute();
        this.claimLimit = properties.limits().claimRequestsPerMinute();
        this.trustedProxyHops = properties.limits().trustedProxyHops();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Kind kind = Kind.of(exchange.getRequest());
        if (kind == null) {
            return chain.filter(exchange);
        }
        int limit = kind == Kind.UPGRADE ? upgradeLimit : claimLimit;
        String prefix = "rl:" + kind.key + ":";
        return exchange.getPrincipal()
                .map(Principal::getName)
                .map(user -> prefix + "user:" + user)
                // Security refuses unauthenticated requests before this filter; the address is only a fallback.
                .defaultIfEmpty(prefix + "ip:" + ClientAddress.of(exchange, trustedProxyHops))
                .flatMap(key -> counters.take(key, limit, PERIOD))
                .flatMap(decision -> decision.allowed()
                        ? chain.filter(exchange)
                        : ProblemWriter.write(
                                exchange,
                                HttpStatus.TOO_MANY_REQUESTS,
                                "at most " + limit + " " + kind.key + " requests per minute; try again later",
                                decision.retryAfter()));
    }

    /** After authentication (Spring Security's filter chain runs at -100). */
    @Override
    public int getOrder() {
        return 0;
    }

    private enum Kind {
        UPGRADE("upgrade"),
        CLAIM("claim");

        final String key;

        Kind(String key) {
            this.key = key;
        }

        static @Nullable Kind of(ServerHttpRequest request) {
            if (LimitedRequests.isUpgrade(request)) {
                return UPGRADE;
            }
            return LimitedRequests.isClaim(request) ? CLAIM : null;
        }
    }
}
