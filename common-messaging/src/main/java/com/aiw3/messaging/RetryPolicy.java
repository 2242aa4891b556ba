package com.aiw3.messaging;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationPropertiesSource;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retries of a call to a third party, for a service's {@code @ConfigurationProperties}: attempt n waits
 * {@code initialBackoff * multiplier^(n-1)}, capped at {@code maxBackoff}, before attempt n+1. A properties
 * record that holds one marks it {@code @NestedConfigurationProperty}, so its metadata describes these too.
 *
 * @param maxAttempts    attempts in all, the first one included
 * @param initialBackoff pause after the first attempt
 * @param multiplier     growth of the pause per attempt
 * @param maxBackoff     cap of one pause
 */
@ConfigurationPropertiesSource
public record RetryPolicy(
        @Min(1) @DefaultValue("3") int maxAttempts,
        @NotNull @DefaultValue("500ms") Duration initialBackoff,
        @DecimalMin("1.0") @DefaultValue("2.0") double multiplier,
        @NotNull @DefaultValue("30s") Duration maxBackoff) {

    /** The pause after attempt {@code attempt} (1-based). */
    public Duration backoff(int attempt) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
    }
}
