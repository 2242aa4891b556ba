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
 * @param historyWindow        how far back Last-Event-ID can resume, and the most a kept event ages: nothing
 *                             older is replayed, and a user with nothing newer and no open stream takes no
 *                             memory; rebuilt from Kafka at start-up
 * @param historySweep         how often events that aged out of the history window, and users left with
 *                             nothing, are dropped
 * @param maxHistoryPerUser    a bound on one user's kept events within the window
 * @param maxStreams           total streams of this instance; beyond it new streams get 429 (the balancer's
 *                             readiness check and {@code sse-health} steer new streams elsewhere before that)
 * @param maxStreamsPerUser    streams one user may hold across every instance (kept in Redis; on this instance
 *                             only while Redis is out of reach); a new one beyond this ends the user's oldest,
 *                             wherever it is, with a last {@code stream_evicted} event
 * @param bufferPerStream      events one slow client may fall behind before it is disconnected: on the user
 *                             stream, events written in batches that begin with its connection past its
 *                             high-water mark; on the others, events queued
 * @param heartbeat            comment lines that keep intermediaries from idling a stream out
 * @param retry                the reconnect delay hinted to browsers
 * @param maxQueuedDeliveries  live deliveries queued for the connections' event loops before the Kafka feed
 *                             waits: under overload the backlog stays in Kafka, not in memory
 * @param maxLifetime          the longest a stream stays open: it then ends with a {@code reconnect} event and a
 *                             {@code retry:} hint, and the client resumes with Last-Event-ID, so tokens are
 *                             checked again and connections rebalance across instances
 * @param lifetimeJitter       how much earlier than {@code max-lifetime} each stream may end, at random, so
 *                             streams opened together do not all reconnect together
 * @param drainWindow          on shutdown, the time over which the open streams are ended (in random order,
 *                             evenly), so their reconnections reach the other instances spread out rather than
 *                             all at once; keep it below {@code spring.lifecycle.timeout-per-shutdown-phase}
 * @param instanceLease        how long this instance's presence reports hold without a new heartbeat; it
 *                             sends one every third of it, so an instance that dies unannounced takes its
 *                             users' presence with it after at most this long
 * @param replayWait           how long a user stream opened before the history window is replayed from Kafka
 *                             waits for it (a resume then repeats nothing); beyond it the stream gets 503. Also
 *                             the most a resume waits for events this instance has not read yet (the client got
 *                             them from an instance whose feed was ahead); beyond it the stream resumes from what
 *                             is kept
 */
@Validated
@ConfigurationProperties("aiw3.sse")
public record SseProperties(
        @NotBlank @DefaultValue("sse-local") String instanceId,
        @NotNull @DefaultValue("10m") Duration historyWindow,
        @NotNull @DefaultValue("1m") Duration historySweep,
        @Min(1) @DefaultValue("1000") int maxHistoryPerUser,
        @Min(1) @DefaultValue("3") int maxStreamsPerUser,
        @Min(1) @DefaultValue("50000") int maxStreams,
        @Min(1) @DefaultValue("256") int bufferPerStream,
        @NotNull @DefaultValue("15s") Duration heartbeat,
        @NotNull @DefaultValue("3s") Duration retry,
        @Min(1) @DefaultValue("200000") long maxQueuedDeliveries,
        @NotNull @DefaultValue("45s") Duration instanceLease,
        @NotNull @DefaultValue("30s") Duration replayWait,
        @NotNull @DefaultValue("15m") Duration maxLifetime,
        @NotNull @DefaultValue("5m") Duration lifetimeJitter,
        @NotNull @DefaultValue("10s") Duration drainWindow) {}
