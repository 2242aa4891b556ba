package com.aiw3.gateway.ratelimit;

import com.aiw3.gateway.GatewayProperties;
import com.aiw3.gateway.ProblemWriter;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/** Caps the concurrent SSE streams of one IP across all gateway instances; the excess gets 429. */
@Component
class StreamConcurrencyFilter implements WebFilter, Ordered {

    private static final Duration LEAK_GUARD = Duration.ofHours(2);
    private static final java.util.List<PathPattern> STREAMS = java.util.stream.Stream.of(
                    "/api/events/**", "/events/**", "/api/v1/nft/upgrade/{id}/events")
            .map(PathPatternParser.defaultInstance::parse)
            .toList();

    private final SharedCounters counters;
    private final int max;

    StreamConcurrencyFilter(SharedCounters counters, GatewayProperties properties) {
        this.counters = counters;
        this.max = properties.limits().sseStreamsPerIp();
    }

    static boolean isStream(ServerWebExchange exchange) {
        var request = exchange.getRequest();
        PathContainer path = request.getPath().pathWithinApplication();
        if (request.getMethod() == HttpMethod.GET) {
            return STREAMS.stream().anyMatch(p -> p.matches(path));
        }
        return request.getMethod() == HttpMethod.POST
                && UpgradeRateLimitFilter.UPGRADE_PATHS.contains(path.value())
                && request.getHeaders().getAccept().contains(MediaType.TEXT_EVENT_STREAM);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isStream(exchange)) {
            return chain.filter(exchange);
        }
        String key = "sse:ip:" + ClientAddress.of(exchange);
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
