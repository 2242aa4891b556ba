package com.aiw3.sse.feed;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.presence.DeliveryEvent;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.serde.EventDeserializer;
import com.aiw3.events.topic.Topics;
import com.aiw3.messaging.EventLogContext;
import com.aiw3.messaging.kafka.KafkaEventPublisher;
import com.aiw3.messaging.tracing.MessageTracing;
import com.aiw3.sse.SseProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every instance reads every partition of the topics clients stream (no consumer group: each instance
 * must see the events of whichever users are connected to it). At start it seeks back one history
 * window and replays it into {@link History}, so Last-Event-ID resumes after a restart or on another
 * instance; it reports ready only once caught up. Deliveries of user events are confirmed on
 * {@code realtime-delivery-outcomes} for notification-service. A live record is handed over in one consumer
 * span that continues its producer's trace (its {@code traceparent} header), and the delivery confirmation
 * is sent in it; the writes to each open stream are not traced.
 */
@Component
class KafkaFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaFeed.class);
    /** The delivery SLO's threshold: an event is on its user's open streams within a second of its commit. */
    static final Duration DELIVERY_SLO = Duration.ofSeconds(1);

    private static final Set<String> TOPICS = Set.of(
            Topics.REALTIME_USER_EVENTS.name(),
            Topics.REALTIME_BROADCASTS.name(),
            Topics.NFT_UPGRADE_EVENTS.name(),
            // Sign-outs: kept with the user's events, they end the session's streams on every instance.
            Topics.SESSION_REVOCATIONS.name());

    private final History history;
    private final Map<String, Object> consumerConfig;
    private final KafkaEventPublisher publisher;
    private final SseProperties properties;
    private final ApplicationEventPublisher events;
    /** Publish-to-delivery timers by event type; touched by the feed's thread only. */
    private final Map<String, Timer> latency = new HashMap<>();

    private final Counter unreadable;
    private final MeterRegistry meters;
    private final Backlog backlog;
    private final MessageTracing tracing;
    private volatile boolean running;
    // Set by start(), which the application context calls before anything reads them.
    @SuppressWarnings("NullAway.Init")
    private KafkaConsumer<String, EventEnvelope<EventPayload>> consumer;

    @SuppressWarnings("NullAway.Init")
    private Thread worker;

    @SuppressWarnings("NullAway.Init")
    private KafkaClientMetrics clientMetrics;

    KafkaFeed(
            History history,
            KafkaProperties kafka,
            KafkaEventPublisher publisher,
            SseProperties properties,
            ApplicationEventPublisher events,
            MeterRegistry meters,
            Backlog backlog,
            MessageTracing tracing) {
        this.history = history;
        this.tracing = tracing;
        this.backlog = backlog;
        this.publisher = publisher;
        this.properties = properties;
        this.events = events;
        this.consumerConfig = new HashMap<>(kafka.buildConsumerProperties());
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.unreadable = meters.counter("aiw3.sse.feed.unreadable");
        this.meters = meters;
    }

    /**
     * From the event's {@code occurredAt} (set in the producer's transaction that writes its outbox row, so
     * the domain commit) to its hand-over to the open streams of this instance. The 1 s bucket is the
     * delivery SLO's threshold.
     */
    private Timer latencyOf(String type) {
        return Timer.builder("aiw3.sse.publish.to.delivery")
                .description(
                        "From an event's commit at its source to its hand-over to the open streams of this instance")
                .tag("type", type)
                .publishPercentileHistogram()
                .serviceLevelObjectives(DELIVERY_SLO)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(meters);
    }

    @Override
    public void start() {
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new EventDeserializer());
        // Consumer lag and fetch rates of the feed, for the lag alert.
        clientMetrics = new KafkaClientMetrics(consumer);
        clientMetrics.bindTo(meters);
        running = true;
        worker = Thread.ofPlatform().name("sse-kafka-feed").start(this::run);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = TOPICS.stream()
                    .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(info -> new TopicPartition(topic, info.partition())))
                    .toList();
            consumer.assign(partitions);
            seekToWindowStart(partitions);
            Map<TopicPartition, Long> catchUp = consumer.endOffsets(partitions);
            boolean ready = false;
            while (running) {
                try {
                    for (ConsumerRecord<String, EventEnvelope<EventPayload>> record :
                            consumer.poll(Duration.ofMillis(500))) {
                        deliver(record, ready);
                    }
                } catch (RecordDeserializationException poison) {
                    // Not an envelope: its producer's consumers dead-letter it; streams just skip it.
                    unreadable.increment();
                    consumer.seek(poison.topicPartition(), poison.offset() + 1);
                }
                if (!ready && caughtUp(catchUp)) {
                    ready = true;
                    log.info("history of the last {} replayed; accepting streams", properties.historyWindow());
                    history.markReplayed();
                    AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("the Kafka feed stopped", e);
            AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        } finally {
            clientMetrics.close();
            consumer.close();
        }
    }

    private void seekToWindowStart(List<TopicPartition> partitions) {
        long since = Instant.now().minus(properties.historyWindow()).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        partitions.forEach(p -> {
            OffsetAndTimestamp at = offsets.get(p);
            consumer.seek(p, at == null ? Objects.requireNonNull(ends.get(p)) : at.offset());
        });
    }

    private boolean caughtUp(Map<TopicPartition, Long> targets) {
        return targets.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void deliver(ConsumerRecord<String, EventEnvelope<EventPayload>> record, boolean live) {
        EventEnvelope<EventPayload> event = record.value();
        if (event == null) {
            return;
        }
        try {
            backlog.awaitRoom();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
        if (!live) {
            history.append(event);
            return;
        }
        try (MessageTracing.Scope span = tracing.continueTrace(record.headers(), "sse deliver", Span.Kind.CONSUMER)) {
            span.tag("aiw3.event.id", event.eventId().toString()).tag("aiw3.event.type", event.type());
            int streams = history.append(event);
            handOver(event, streams);
            if (log.isDebugEnabled()) {
                // The local run's --traces: in the delivery's consumer span, so the line carries its trace.
                log.debug("{} handed over to {} streams", EventLogContext.describe(event), streams);
            }
        }
    }

    private void handOver(EventEnvelope<EventPayload> event, int streams) {
        latency.computeIfAbsent(event.type(), this::latencyOf)
                .record(Duration.between(event.occurredAt(), Instant.now()));
        if (streams > 0 && event.payload() instanceof UserEvent user) {
            // Only confirmations: with every instance reading every partition, "not delivered here" says
            // nothing; notification-service falls back when no confirmation arrives in its window.
            publisher.send(EventEnvelope.causedBy(
                    event,
                    new DeliveryEvent.RealtimeEventDelivered(
                            user.userId(), event.eventId(), properties.instanceId(), streams),
                    "sse-gateway"));
        }
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            if (worker != null) {
                worker.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
