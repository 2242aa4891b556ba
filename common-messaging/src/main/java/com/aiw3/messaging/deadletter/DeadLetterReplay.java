package com.aiw3.messaging.deadletter;

import com.aiw3.events.topic.Topic;
import com.aiw3.events.topic.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * Re-publishes the records of a dead-letter topic to the topic they came from, once the reason they could
 * not be processed is gone (a bug fixed, a missing user created). Key, value and headers are sent as they
 * were; the headers the dead-lettering added ({@code kafka_dlt-*}) are dropped and
 * {@value #REPLAYED_FROM} names the dead letter. The producer lets the key choose the partition, as the
 * original publisher did.
 *
 * <p>What it replays: the records present when it starts, from where the previous replay of the same
 * scope stopped (its own consumer group, {@code aiw3-dlt-replay[-<group>]}, commits after the broker
 * acknowledged the copies). A replay interrupted between sending and committing sends those records again
 * on the next run: every consumer is idempotent by event id, so a record is applied once however often it
 * is delivered. A replayed record reaches every consumer group of the original topic, not only the one
 * that dead-lettered it; groups that had processed it skip it as a duplicate.
 *
 * <p>Run it from a service's image (see the module README), or call {@link #replay} in code.
 */
public final class DeadLetterReplay {

    /** Header naming the dead letter a replayed record was copied from: {@code topic-partition@offset}. */
    public static final String REPLAYED_FROM = "aiw3_replayed-from";

    static final String DLT_HEADER_PREFIX = "kafka_dlt-";
    static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    static final String ORIGINAL_GROUP = "kafka_dlt-original-consumer-group";
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param replayed records re-published to their original topic
     * @param skipped  records left in place because another consumer group dead-lettered them
     */
    public record Result(int replayed, int skipped) {}

    private DeadLetterReplay() {}

    /**
     * Replays {@code deadLetterTopic}.
     *
     * @param client     Kafka client settings: at least {@code bootstrap.servers}, plus security settings
     * @param onlyGroup  replay only what this consumer group dead-lettered; empty for everything
     * @param timeout    how long to wait for the topic to be read to its end
     */
    public static Result replay(
            Map<String, Object> client, String deadLetterTopic, Optional<String> onlyGroup, Duration timeout) {
        Map<String, Object> consumerConfig = new HashMap<>(client);
        consumerConfig.put(
                ConsumerConfig.GROUP_ID_CONFIG,
                "aiw3-dlt-replay" + onlyGroup.map(g -> "-" + g).orElse(""));
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<String, Object> producerConfig = new HashMap<>(client);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("no such topic: " + deadLetterTopic);
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            int replayed = 0;
            int skipped = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "did not reach the end of " + deadLetterTopic + " within " + timeout);
                }
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> dead : consumer.poll(POLL)) {
                    TopicPartition partition = new TopicPartition(dead.topic(), dead.partition());
                    if (dead.offset() >= Objects.requireNonNull(end.get(partition))) {
                        continue;
                    }
                    done.put(partition, new OffsetAndMetadata(dead.offset() + 1));
                    if (onlyGroup.isPresent() && !onlyGroup.get().equals(header(dead, ORIGINAL_GROUP))) {
                        skipped++;
                        continue;
                    }
                    sends.add(producer.send(copy(dead)));
                    replayed++;
                }
                for (Future<RecordMetadata> send : sends) {
                    send.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
            }
            return new Result(replayed, skipped);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("replay of " + deadLetterTopic + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay of " + deadLetterTopic + " interrupted", e);
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    static ProducerRecord<byte[], byte[]> copy(ConsumerRecord<byte[], byte[]> dead) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : dead.headers()) {
            if (!header.key().startsWith(DLT_HEADER_PREFIX)) {
                headers.add(header);
            }
        }
        headers.add(
                REPLAYED_FROM,
                (dead.topic() + "-" + dead.partition() + "@" + dead.offset()).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(originalTopic(dead), null, dead.key(), dead.value(), headers);
    }

    static String originalTopic(ConsumerRecord<?, ?> dead) {
        String named = header(dead, ORIGINAL_TOPIC);
        if (named != null) {
            return named;
        }
        return Topics.all().stream()
                .filter(topic -> topic.deadLetterName().equals(dead.topic()))
                .map(Topic::name)
                .findFirst()
                .orElseGet(() -> {
                    if (!dead.topic().endsWith("-dlt")) {
                        throw new IllegalArgumentException(dead.topic() + " is not a dead-letter topic");
                    }
                    return dead.topic().substring(0, dead.topic().length() - "-dlt".length());
                });
    }

    private static @Nullable String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * {@code --bootstrap-servers HOST:PORT --topic DEAD_LETTER_TOPIC [--group CONSUMER_GROUP]
     * [--command-config CLIENT.properties] [--timeout 60s]}; prints what it did.
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an --option, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (!options.containsKey("topic") || !options.containsKey("bootstrap-servers")) {
            System.err.println("usage: DeadLetterReplay --bootstrap-servers HOST:PORT --topic DEAD_LETTER_TOPIC"
                    + " [--group CONSUMER_GROUP] [--command-config CLIENT.properties] [--timeout 60s]");
            System.exit(2);
        }
        Map<String, Object> client = new HashMap<>();
        if (options.containsKey("command-config")) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(options.get("command-config")))) {
                file.load(reader);
            }
            file.forEach((k, v) -> client.put((String) k, v));
        }
        client.put("bootstrap.servers", options.get("bootstrap-servers"));
        Duration timeout =
                Duration.parse("PT" + options.getOrDefault("timeout", "60s").toUpperCase());
        Result result = replay(
                client,
                Objects.requireNonNull(options.get("topic")),
                Optional.ofNullable(options.get("group")),
                timeout);
        System.out.printf(
                "replayed %d record(s) of %s to their original topic; %d left for other consumer groups%n",
                result.replayed(), options.get("topic"), result.skipped());
    }
}
