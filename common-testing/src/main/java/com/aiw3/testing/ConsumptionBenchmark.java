package com.aiw3.testing;

import static org.awaitility.Awaitility.await;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.serde.EventSerializer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How fast a service consumes and applies events, next to a baseline in the same run: a plain Kafka
 * consumer reading the same records and doing nothing with them. Prints figures; asserts only that
 * every event was applied.
 */
public final class ConsumptionBenchmark {

    private ConsumptionBenchmark() {}

    /**
     * The whole measurement: pre-loads {@code users} upgrade journeys, reads them with a plain consumer,
     * then starts the service's consumption and waits until {@code applied} counts every event.
     */
    public static void measure(
            String service, String bootstrap, int users, Runnable startConsuming, LongSupplier applied) {
        List<EventEnvelope<?>> events = EventMix.upgradeJourneys(users);
        Set<String> topics = events.stream().map(e -> e.topic().name()).collect(java.util.stream.Collectors.toSet());
        preload(bootstrap, events);
        double baseline = baselineEventsPerSecond(bootstrap, topics, events.size());
        double rate = serviceEventsPerSecond(startConsuming, applied, events.size());
        report(service, events.size(), rate, baseline);
        if (applied.getAsLong() != events.size()) {
            throw new AssertionError(service + " applied " + applied.getAsLong() + " of " + events.size() + " events");
        }
    }

    /** Publishes the events before the service's listener starts, so the backlog is the workload. */
    public static void preload(String bootstrap, List<EventEnvelope<?>> events) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (var producer =
                new KafkaProducer<String, EventEnvelope<?>>(props, new StringSerializer(), new EventSerializer())) {
            events.forEach(e -> producer.send(new ProducerRecord<>(e.topic().name(), e.key(), e)));
            producer.flush();
        }
    }

    /** Events per second of a consumer that only reads (the ceiling any Kafka consumer can reach here). */
    public static double baselineEventsPerSecond(String bootstrap, Set<String> topics, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "baseline-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        long start = System.nanoTime();
        long read = 0;
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            while (read < expected) {
                read += consumer.poll(Duration.ofMillis(200)).count();
                if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
                    throw new IllegalStateException("baseline read only " + read + " of " + expected);
                }
            }
        }
        return read / seconds(System.nanoTime() - start);
    }

    /** Starts the service's consumption and waits until {@code applied} reaches {@code expected}. */
    public static double serviceEventsPerSecond(Runnable startConsuming, LongSupplier applied, long expected) {
        long start = System.nanoTime();
        startConsuming.run();
        await().atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> applied.getAsLong() >= expected);
        return expected / seconds(System.nanoTime() - start);
    }

    public static void report(String service, int events, double serviceRate, double baselineRate) {
        System.out.printf(
                Locale.ROOT,
                "%nBENCHMARK %s: %d events applied at %.0f events/s; plain Kafka read of the same records %.0f events/s;"
                        + " ratio %.3f%n%n",
                service,
                events,
                serviceRate,
                baselineRate,
                serviceRate / baselineRate);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
