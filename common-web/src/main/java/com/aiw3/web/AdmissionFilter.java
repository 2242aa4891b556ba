package com.aiw3.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admits at most {@link AdmissionProperties#maxInFlight()} requests at once and refuses the rest with a 503
 * problem and {@code Retry-After} (see {@link AdmissionProperties}). With virtual threads nothing else
 * bounds the work an instance accepts: without this, a burst waits on the database pool for its 30 s
 * timeout and every request in it gets slow. Health and metrics endpoints are always admitted, so a busy
 * instance stays ready and observable; a refused request has run no application code and written nothing.
 */
final class AdmissionFilter extends OncePerRequestFilter {

    private static final byte[] REFUSAL = """
            {"type":"about:blank","title":"Service Unavailable","status":503,\
            "detail":"The service is at capacity; retry after the time in Retry-After."}""".getBytes(StandardCharsets.UTF_8);

    private final Semaphore slots;
    private final int maxInFlight;
    private final long maxWaitNanos;
    private final String retryAfterSeconds;
    private final Counter refused;

    AdmissionFilter(AdmissionProperties properties, MeterRegistry meters) {
        this.maxInFlight = properties.maxInFlight();
        this.slots = new Semaphore(maxInFlight);
        this.maxWaitNanos = properties.maxWait().toNanos();
        this.retryAfterSeconds =
                Long.toString(Math.max(1, (properties.retryAfter().toMillis() + 999) / 1000));
        this.refused = Counter.builder("aiw3.web.admission.refused")
                .description("Requests answered 503 because the instance was at its in-flight limit")
                .register(meters);
        Gauge.builder("aiw3.web.admission.in.flight", this, AdmissionFilter::inFlight)
                .description("Requests admitted and not yet answered")
                .register(meters);
    }

    int inFlight() {
        return maxInFlight - slots.availablePermits();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!admit()) {
            refused.increment();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setContentLength(REFUSAL.length);
            response.getOutputStream().write(REFUSAL);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            slots.release();
        }
    }

    private boolean admit() {
        if (slots.tryAcquire()) {
            return true;
        }
        if (maxWaitNanos <= 0) {
            return false;
        }
        try {
            return slots.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
