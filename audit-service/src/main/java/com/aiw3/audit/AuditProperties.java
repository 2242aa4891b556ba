package com.aiw3.audit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of audit-service ({@code aiw3.audit.*}).
 *
 * @param verify how the chain is verified
 */
@Validated
@ConfigurationProperties("aiw3.audit")
public record AuditProperties(@Valid @NotNull @DefaultValue Verify verify) {

    /**
     * @param budget          how long one {@code GET /verify} may compute before it answers with a cursor to
     *                        continue from; well under api-gateway's 10 s response timeout
     * @param pageSize        records read per query while verifying
     * @param checkpointEvery a checkpoint is kept every this many verified records (and where a run ends)
     * @param fullInterval    how often each instance verifies the whole chain from the start in the background
     * @param fullInitialDelay the first background verification after start-up
     */
    public record Verify(
            @DefaultValue("5s") @NotNull Duration budget,
            @DefaultValue("2000") @Min(1) @Max(100_000) int pageSize,
            @DefaultValue("10000") @Min(1) int checkpointEvery,
            @DefaultValue("1h") @NotNull Duration fullInterval,
            @DefaultValue("2m") @NotNull Duration fullInitialDelay) {}
}
