package com.aiw3.messaging.kafka;

import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 */
final class BlockingErrorHandler extends DefaultErrorHandler {

    private final ConsumerStalls stalls;

    BlockingErrorHandler(ConsumerRecordRecoverer recoverer, BackOff unlimited, ConsumerStalls stalls) {
        super(recoverer, unlimited);
        this.stalls = stalls;
    }

    /** True when the exception (or a cause) is one of the types that can never succeed on a retry. */
    boolean permanent(Exception failure) {
        return !getExceptionMatcher().match(failure);
    }

    private void count(Exception failure, MessageListenerContainer container) {
        if (!permanent(failure)) {
            stalls.failed(group(container));
        }
    }

    private static String group(MessageListenerContainer container) {
        String group = container.getGroupId();
        return group != null ? group : container.getListenerId();
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
        String group = group(container);
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
}
