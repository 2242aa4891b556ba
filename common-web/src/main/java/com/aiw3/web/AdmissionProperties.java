package com.aiw3.web;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many requests one servlet service instance works on at once ({@code aiw3.web.admission.*}). A request
 * beyond the limit waits at most {@code maxWait} for a slot, then is answered 503 with {@code Retry-After}
 * before any application code runs, so an overloaded instance answers at once instead of queueing requests
 * on its connection pool until they time out.
 *
 * @param enabled     servlet services only (api-gateway and sse-gateway are reactive and keep their own limits);
 *                    off: every request is admitted
 * @param maxInFlight requests worked on at once; size it a few times the database pool, since a request also
 *                    waits on Kafka, the chain or other I/O without holding a connection
 * @param maxWait     how long a request beyond the limit may wait for a slot (0: none)
 * @param retryAfter  the {@code Retry-After} of the refusal; clients add jitter to it
 */
@Validated
@ConfigurationProperties("aiw3.web.admission")
public record AdmissionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("64") @Min(1) int maxInFlight,
        @DefaultValue("10ms") Duration maxWait,
        @DefaultValue("1s") Duration retryAfter) {}
