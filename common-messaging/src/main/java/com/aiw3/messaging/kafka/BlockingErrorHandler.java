package com.aiw3.messaging.kafka;

import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.util.backoff.BackOff;

/**
 * Spring Kafka's {@link DefaultErrorHandler} with a back-off that never ends: a record that failed for a
 * reason that may pass is retried (seek back, back off, poll again, so the group keeps its partitions
 * and {@code max.poll.interval.ms} is never exceeded) until it succeeds; one classified as permanent goes
 * to the recoverer (the dead-letter topic) at once. Every retried failure and the success that ends it
 * are reported to {@link ConsumerStalls}.
 *
 * <p>The recoverer is guarded as well: Spring Kafka hands records to it on more paths than an exhausted
 * back-off (a whole-batch retry that ends early, a record whose retry state was reset, a future default).
 * Whatever the path, a record whose failure is not permanent is refused there: the recovery fails, Spring
 * Kafka seeks back to it and it is retried again, never dead-lettered.
 */
final class BlockingErrorHandler extends DefaultErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(BlockingErrorHandler.class);

    private final ConsumerStalls stalls;

    BlockingErrorHandler(ConsumerRecordRecoverer recoverer, BackOff unlimited, ConsumerStalls stalls) {
        this(new PermanentOnly(recoverer), unlimited, stalls);
    }

    private BlockingErrorHandler(PermanentOnly recoverer, BackOff unlimited, ConsumerStalls stalls) {
        super(recoverer, unlimited);
        this.stalls = stalls;
        recoverer.classifier = this;
    }

    /** True when the exception (or a cause) is one of the types that can never succeed on a retry. */
    boolean permanent(Exception failure) {
        return !getExceptionMatcher().match(failure);
    }

    private void count(Exception failure, MessageListenerContainer container) {
        if (!permanent(failure)) {
            stalls.failed(ConsumerStalls.groupOf(container));
        }
    }

    @Override
    public boolean handleOne(
            Exception thrownException,
            ConsumerRecord<?, ?> record,
            Consumer<?, ?> consumer,
            MessageListenerContainer container) {
        count(thrownException, container);
        return super.handleOne(thrownException, record, consumer, container);
    }

    @Override
    public void handleRemaining(
            Exception thrownException,
            List<ConsumerRecord<?, ?>> records,
            Consumer<?, ?> consumer,
            MessageListenerContainer container) {
        count(thrownException, container);
        super.handleRemaining(thrownException, records, consumer, container);
    }

    @Override
    public void handleBatch(
            Exception thrownException,
            ConsumerRecords<?, ?> data,
            Consumer<?, ?> consumer,
            MessageListenerContainer container,
            Runnable invokeListener) {
        count(thrownException, container);
        super.handleBatch(thrownException, data, consumer, container, tracked(invokeListener, container));
    }

    @Override
    public <K, V> ConsumerRecords<K, V> handleBatchAndReturnRemaining(
            Exception thrownException,
            ConsumerRecords<?, ?> data,
            Consumer<?, ?> consumer,
            MessageListenerContainer container,
            Runnable invokeListener) {
        count(thrownException, container);
        return super.handleBatchAndReturnRemaining(
                thrownException, data, consumer, container, tracked(invokeListener, container));
    }

    /** A whole batch retried inside the handler: its success ends the stall, and each failure counts. */
    private Runnable tracked(Runnable invokeListener, MessageListenerContainer container) {
        String group = ConsumerStalls.groupOf(container);
        return () -> {
            try {
                invokeListener.run();
            } catch (RuntimeException failure) {
                if (!permanent(failure)) {
                    stalls.failed(group);
                }
                throw failure;
            }
            stalls.succeeded(group);
        };
    }

    /** Thrown by the guarded recoverer for a record whose failure may pass: Spring Kafka seeks back to it. */
    static final class NotDeadLettered extends KafkaException {
        NotDeadLettered(String message, @Nullable Throwable failure) {
            super(message, Level.WARN, failure);
        }
    }

    /** Passes only permanent failures to the dead-letter recoverer; refuses the others. */
    private static final class PermanentOnly implements ConsumerAwareRecordRecoverer {

        private final ConsumerRecordRecoverer deadLetters;
        private @Nullable BlockingErrorHandler classifier;

        PermanentOnly(ConsumerRecordRecoverer deadLetters) {
            this.deadLetters = deadLetters;
        }

        @Override
        public void accept(
                ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, @Nullable Exception failure) {
            if (failure == null || classifier == null || !classifier.permanent(failure)) {
                String where = record.topic() + "-" + record.partition() + "@" + record.offset();
                log.warn(
                        "not dead-lettering {}: its failure may pass ({}); it is retried again",
                        where,
                        failure == null ? "no failure given" : failure.toString());
                throw new NotDeadLettered("not dead-lettered, the failure may pass: " + where, failure);
            }
            if (deadLetters instanceof ConsumerAwareRecordRecoverer aware) {
                aware.accept(record, consumer, failure);
            } else {
                deadLetters.accept(record, failure);
            }
        }
    }
}
