package com.aiw3.gateway.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Sets the W3C {@code traceparent} of a routed request to the gateway's own server span, so the service's
 * span is its child and one request is one trace across the hop. A client's {@code traceparent} is continued
 * by that server span, never forwarded as it came. No client span per proxied call: the gateway's observation
 * of the proxied call stays off (it duplicated {@code http.server.requests} and cost CPU per request).
 */
@Component
class TraceContextHeaders implements HttpHeadersFilter {

    private static final Logger log = LoggerFactory.getLogger(TraceContextHeaders.class);

    private final Propagator propagator;

    TraceContextHeaders(Propagator propagator) {
        this.propagator = propagator;
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        Span span = serverSpan(exchange);
        if (span == null || span.isNoop()) {
            return input;
        }
        HttpHeaders headers = HttpHeaders.copyOf(input);
        propagator.fields().forEach(headers::remove);
        propagator.inject(span.context(), headers, HttpHeaders::set);
        if (log.isDebugEnabled()) {
            // The reactive request has no trace in the log context: the line names its trace itself.
            log.debug(
                    "routing {} {} in trace {}",
                    exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(),
                    span.context().traceId());
        }
        return headers;
    }

    private static @Nullable Span serverSpan(ServerWebExchange exchange) {
        return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(context -> context.<TracingObservationHandler.@Nullable TracingContext>get(
                        TracingObservationHandler.TracingContext.class))
                .map(TracingObservationHandler.TracingContext::getSpan)
                .orElse(null);
    }
}
