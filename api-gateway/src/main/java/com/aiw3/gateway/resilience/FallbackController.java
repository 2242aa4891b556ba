package com.aiw3.gateway.resilience;

import com.aiw3.web.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Where a route's circuit breaker sends a call whose downstream is down or too slow. */
@RestController
class FallbackController {

    static final String PATH = "/fallback/unavailable";

    private static final Logger log = LoggerFactory.getLogger(FallbackController.class);

    @RequestMapping(PATH)
    Mono<Void> unavailable(ServerWebExchange exchange) {
        Throwable cause = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        log.warn("downstream unavailable for {}: {}", exchange.getRequest().getPath(), String.valueOf(cause));
        return Mono.error(Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE, "the service behind this path is unavailable; try again shortly"));
    }
}
