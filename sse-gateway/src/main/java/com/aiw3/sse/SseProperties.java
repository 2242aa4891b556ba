package com.aiw3.sse;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the SSE gateway ({@code aiw3.sse.*}).
 *
 * @param instanceId           this instance's id in presence and delivery events (the pod name)
 * @param historyWindow        how far back Last-Event-ID can resume; rebuilt from Kafka at start-up
 * @param maxHistoryPerUser    a bound on one user's kept events within the window
 * @param maxStreamsPerUser    streams one user may hold; a new one beyond this closes the user's oldest
 * @param maxStreams           total streams of this instance; beyond it new streams get 429
 * @param bufferPerStream      events one slow client may fall behind before it is disconnected: on the user
 *                             stream, events written in batches that begin with its connection past its
 *                             high-water mark; on the others, events queued
 * @param heartbeat            comment lines that keep intermediaries from idling a stream out
 * @param retry                the reconnect delay hinted to browsers
 * @param maxQueuedDeliveries  live deliveries queued for the connections' event loops before the Kafka feed
 *                             waits: under overload the backlog stays in Kafka, not in memory
 * @param instanceLease        how long this instance's presence reports hold without a new heartbeat; it
 *                             sends one every third of it, so an instance that dies unannounced takes its
 *                             users' presence with it after at most this long
 * @param replayWait           how long a user stream opened before the history window is replayed from Kafka
 *                             waits for it (a resume then repeats nothing); beyond it the stream gets 503
 */
@Validated
@ConfigurationProperties("aiw3.sse")
public record SseProperties(
        @NotBlank @DefaultValue("sse-local") String instanceId,
        @NotNull @DefaultValue("10m") Duration historyWindow,
        @Min(1) @DefaultValue("1000") int maxHistoryPerUser,
        @Min(1) @DefaultValue("3") int maxStreamsPerUser,
        @Min(1) @DefaultValue("50000") int maxStreams,
        @Min(1) @DefaultValue("256") int bufferPerStream,
        @NotNull @DefaultValue("15s") Duration heartbeat,
        @NotNull @DefaultValue("3s") Duration retry,
        @Min(1) @DefaultValue("200000") long maxQueuedDeliveries,
        @NotNull @DefaultValue("45s") Duration instanceLease,
        @NotNull @DefaultValue("30s") Duration replayWait) {}
