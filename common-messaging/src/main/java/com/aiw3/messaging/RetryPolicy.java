package com.aiw3.messaging;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.function.Predicate;
import org.springframework.boot.context.properties.ConfigurationPropertiesSource;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.retry.RetryTemplate;

/**
 * Retries of a call to a third party, for a service's {@code @ConfigurationProperties}, run by Spring
 * Framework's {@link RetryTemplate} ({@link #template}): attempt n waits about {@code initialBackoff *
 * multiplier^(n-1)}, capped at {@code maxBackoff}, before attempt n+1. The pause is spread at random by up to
 * {@code jitter * multiplier^(n-1)} either way, never below {@code initialBackoff}: instances retrying against
 * the same failing provider do not call it again in step. A properties record that holds one marks it
 * {@code @NestedConfigurationProperty}, so its metadata describes these too.
 *
 * @param maxAttempts    attempts in all, the first one included
 * @param initialBackoff pause after the first attempt
 * @param multiplier     growth of the pause per attempt
 * @param maxBackoff     cap of one pause
 * @param jitter         each pause is moved randomly by up to this much (growing with the pauses by the
 *                       multiplier), never below the first pause, so callers that failed together do not retry
 *                       in step; 0 for exact pauses
 */
@ConfigurationPropertiesSource
public record RetryPolicy(
        @Min(1) @DefaultValue("3") int maxAttempts,
        @NotNull @DefaultValue("500ms") Duration initialBackoff,
        @DecimalMin("1.0") @DefaultValue("2.0") double multiplier,
        @NotNull @DefaultValue("30s") Duration maxBackoff,
        @NotNull @DefaultValue("100ms") Duration jitter) {

    /**
     * A template that runs a call up to {@code maxAttempts} times while it fails with an error {@code
     * retryable} accepts. Any other error ends it at once; either way {@link RetryTemplate#execute} then
     * throws a {@link org.springframework.core.retry.RetryException} whose cause is the last error and whose
     * retry count is the attempts after the first.
     */
    public RetryTemplate template(Predicate<Throwable> retryable) {
        return new RetryTemplate(org.springframework.core.retry.RetryPolicy.builder()
                .maxRetries(maxAttempts - 1L)
                .delay(initialBackoff)
                .multiplier(multiplier)
                // Spring wants a positive cap; a cap of 0 (no pause at all) becomes the shortest one.
                .maxDelay(maxBackoff.isPositive() ? maxBackoff : Duration.ofMillis(1))
                .jitter(jitter)
                .predicate(retryable)
                .build());
    }
}
