package com.aiw3.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the shared messaging conventions ({@code aiw3.messaging.*}).
 *
 * @param source   the publishing service's name, written into every envelope
 * @param topics   how topics are provisioned at start-up
 * @param consumer how failed records are retried
 * @param outbox   the relay of the transactional outbox
 */
@Validated
@ConfigurationProperties("aiw3.messaging")
public record MessagingProperties(
        @NotBlank String source,
        @Valid @NotNull @DefaultValue Topics topics,
        @Valid @NotNull @DefaultValue Consumer consumer,
        @Valid @NotNull @DefaultValue Outbox outbox) {

    /**
     * @param create            declare every topic and dead-letter topic at start-up (idempotent)
     * @param replicationFactor 3 in production; 1 on a single local broker
     * @param maxPartitions     0 keeps each topic's production partition count; a positive value caps it
     *                          for small local brokers. A cap, never a fixed count: a single-partition topic
     *                          (broadcasts) must stay single, or its order is lost
     */
    public record Topics(
            @DefaultValue("true") boolean create,
            @DefaultValue("1") @Min(1) short replicationFactor,
            @DefaultValue("0") @Min(0) int maxPartitions) {}

    /**
     * How a consumer retries a record (or batch) that failed for a reason that may pass: without limit,
     * holding its partitions, so nothing behind the record is skipped and nothing is dead-lettered because
     * a dependency (the database) was away. Only records that can never be processed go to the
     * dead-letter topic, at once.
     *
     * @param initialBackoff first retry delay
     * @param multiplier     growth of the delay per attempt
     * @param maxBackoff     cap of one delay; with an attempt's own wait (a connection timeout) it must stay
     *                       well under the consumer's {@code max.poll.interval.ms} (5 min)
     * @param jitter         each delay is moved randomly by up to this much, so consumers that failed together
     *                       do not retry in step
     */
    public record Consumer(
            @DefaultValue("200ms") @NotNull Duration initialBackoff,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
            @DefaultValue("10s") @NotNull Duration maxBackoff,
            @DefaultValue("100ms") @NotNull Duration jitter) {}

    /**
     * @param batchSize        rows relayed per round
     * @param sweepInterval    safety sweep for rows a crashed instance left behind; commits wake the relay at
     *                         once, so this is not the publish latency
     * @param publishTimeout   how long the relay waits for the broker's acknowledgement of a batch
     * @param retention        published rows and processed-event ids are kept this long, then purged
     */
    public record Outbox(
            @DefaultValue("500") @Min(1) int batchSize,
            @DefaultValue("5s") @NotNull Duration sweepInterval,
            @DefaultValue("30s") @NotNull Duration publishTimeout,
            @DefaultValue("7d") @NotNull Duration retention) {}
}
