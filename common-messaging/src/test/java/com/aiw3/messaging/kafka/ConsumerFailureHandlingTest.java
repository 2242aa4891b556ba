package com.aiw3.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.serde.MalformedEventException;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.messaging.NonRetryableEventException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How the shared consumer error handler treats a failed record: a database out of reach (or any failure
 * not known to be permanent) is retried without limit, each pause capped; only a record that can never be
 * processed goes to the recoverer (the dead-letter topic), at once.
 */
class ConsumerFailureHandlingTest {

    private static final MessagingProperties.Consumer DEFAULTS = new MessagingProperties.Consumer(
            Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), Duration.ofMillis(100));

    private static MessagingProperties properties(MessagingProperties.Consumer consumer) {
        return new MessagingProperties(
                "test",
                new MessagingProperties.Topics(false, (short) 1, 0),
                consumer,
                new MessagingProperties.Outbox(500, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofDays(7)));
    }

    /** The error handler every service gets, with templates that never connect (nothing is sent here). */
    @SuppressWarnings("unchecked")
    private static BlockingErrorHandler handler(MessagingProperties.Consumer consumer) {
        Map<String, Object> config = Map.of("bootstrap.servers", "127.0.0.1:1");
        KafkaTemplate<String, EventEnvelope<?>> events = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
        KafkaTemplate<String, byte[]> raw = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
        DefaultErrorHandler handler = new KafkaConventionsAutoConfiguration()
                .aiw3ErrorHandler(properties(consumer), events, raw, new ConsumerStalls(new SimpleMeterRegistry()));
        assertThat(handler).isInstanceOf(BlockingErrorHandler.class);
        return (BlockingErrorHandler) handler;
    }

    private static Exception fromListener(Throwable cause) {
        return new ListenerExecutionFailedException("listener failed", cause);
    }

    @Test
    void theBackOffNeverStopsAndNoPauseExceedsTheCap() {
        BackOffExecution execution =
                KafkaConventionsAutoConfiguration.unlimited(DEFAULTS).start();
        long longest = 0;
        for (int attempt = 0; attempt < 100_000; attempt++) {
            long pause = execution.nextBackOff();
            assertThat(pause).as("pause before retry %d", attempt + 1).isNotEqualTo(BackOffExecution.STOP);
            longest = Math.max(longest, pause);
        }
        assertThat(longest)
                .as("the longest pause: the cap, give or take the jitter")
                .isBetween(
                        DEFAULTS.maxBackoff().minus(DEFAULTS.jitter()).toMillis(),
                        DEFAULTS.maxBackoff().plus(DEFAULTS.jitter()).toMillis());
    }

    @Test
    void aDatabaseOutOfReachIsNeverClassifiedAsPermanent() {
        BlockingErrorHandler handler = handler(DEFAULTS);
        List<Throwable> transientFailures = List.of(
                new CannotGetJdbcConnectionException(
                        "Failed to obtain JDBC Connection",
                        new SQLTransientConnectionException("Connection is not available, request timed out")),
                new DataAccessResourceFailureException("connection refused"),
                new QueryTimeoutException("statement timed out"),
                new IllegalStateException("a failure of unknown kind"));
        for (Throwable failure : transientFailures) {
            assertThat(handler.permanent(fromListener(failure)))
                    .as("permanent: %s", failure)
                    .isFalse();
        }
    }

    @Test
    void onlyWhatCanNeverBeProcessedIsClassifiedAsPermanent() {
        BlockingErrorHandler handler = handler(DEFAULTS);
        assertThat(handler.permanent(fromListener(new MalformedEventException("not an envelope"))))
                .isTrue();
        assertThat(handler.permanent(fromListener(new NonRetryableEventException("unknown user"))))
                .isTrue();
    }

    @Test
    void aRecordFailingTransientlyIsRetriedEveryTimeAndNeverRecovered() {
        List<ConsumerRecord<?, ?>> recovered = new ArrayList<>();
        MessagingProperties.Consumer quick =
                new MessagingProperties.Consumer(Duration.ofMillis(1), 2.0, Duration.ofMillis(2), Duration.ZERO);
        BackOff unlimited = KafkaConventionsAutoConfiguration.unlimited(quick);
        BlockingErrorHandler handler = new BlockingErrorHandler(
                (record, failure) -> recovered.add(record), unlimited, new ConsumerStalls(new SimpleMeterRegistry()));
        handler.addNotRetryableExceptions(MalformedEventException.class, NonRetryableEventException.class);
        ConsumerRecord<String, String> record = new ConsumerRecord<>("nft-upgrade-events", 0, 42L, "key", "value");
        Consumer<?, ?> consumer = mock(Consumer.class);
        MessageListenerContainer container = mock(MessageListenerContainer.class);
        when(container.getGroupId()).thenReturn("audit-intake");
        Exception databaseDown = fromListener(new CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection", new SQLTransientConnectionException("request timed out")));

        // Far more attempts than any bounded policy would make (Spring Kafka's default gives up after 10).
        for (int attempt = 1; attempt <= 200; attempt++) {
            assertThat(handler.handleOne(databaseDown, record, consumer, container))
                    .as("recovered at attempt %d", attempt)
                    .isFalse();
        }
        assertThat(recovered).as("records handed to the dead-letter recoverer").isEmpty();

        assertThat(handler.handleOne(
                        fromListener(new NonRetryableEventException("unknown user")), record, consumer, container))
                .isTrue();
        assertThat(recovered).containsExactly(record);
    }

    /**
     * Spring Kafka hands a record to the recoverer on paths other than an exhausted back-off; here a back-off
     * that gives up after two retries stands in for any of them. A failure that may pass is refused there:
     * nothing is dead-lettered, the consumer seeks back to the record and it is retried again.
     */
    @Test
    void aRecordWhoseFailureMayPassIsNeverDeadLetteredEvenWhenRetriesStop() {
        List<ConsumerRecord<?, ?>> recovered = new ArrayList<>();
        BlockingErrorHandler handler = givingUp(recovered);
        ConsumerRecord<String, String> record = new ConsumerRecord<>("nft-upgrade-events", 0, 42L, "key", "value");
        Consumer<?, ?> consumer = mock(Consumer.class);
        MessageListenerContainer container = container();
        Exception databaseDown = fromListener(new CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection", new SQLTransientConnectionException("request timed out")));

        for (int attempt = 1; attempt <= 10; attempt++) {
            assertThatThrownBy(() -> handler.handleRemaining(databaseDown, List.of(record), consumer, container))
                    .as("attempt %d seeks back to the record", attempt)
                    .isInstanceOf(RuntimeException.class);
        }
        assertThat(recovered).as("records handed to the dead-letter topic").isEmpty();
        verify(consumer, atLeast(10)).seek(new TopicPartition("nft-upgrade-events", 0), 42L);

        handler.handleRemaining(
                fromListener(new NonRetryableEventException("unknown user")), List.of(record), consumer, container);
        assertThat(recovered).containsExactly(record);
    }

    /** The same for a batch retried as a whole (audit-service's intake): the batch is sought back, not dead-lettered. */
    @Test
    void aBatchWhoseFailureMayPassIsNeverDeadLetteredEvenWhenRetriesStop() {
        List<ConsumerRecord<?, ?>> recovered = new ArrayList<>();
        BlockingErrorHandler handler = givingUp(recovered);
        TopicPartition partition = new TopicPartition("realtime-broadcasts", 0);
        ConsumerRecords<String, String> batch = new ConsumerRecords<>(
                Map.of(
                        partition,
                        List.of(
                                new ConsumerRecord<>("realtime-broadcasts", 0, 7L, "a", "1"),
                                new ConsumerRecord<>("realtime-broadcasts", 0, 8L, "b", "2"))),
                Map.of());
        Consumer<?, ?> consumer = mock(Consumer.class);
        when(consumer.assignment()).thenAnswer(invocation -> Set.of(partition));
        when(consumer.poll(any(Duration.class))).thenAnswer(invocation -> ConsumerRecords.empty());
        MessageListenerContainer container = container();
        RuntimeException databaseDown = new ListenerExecutionFailedException(
                "listener failed",
                new CannotCreateTransactionException(
                        "Could not open JDBC Connection for transaction",
                        new SQLTransientConnectionException("request timed out")));

        assertThatThrownBy(() -> handler.handleBatch(databaseDown, batch, consumer, container, () -> {
                    throw databaseDown;
                }))
                .isInstanceOf(KafkaException.class);
        assertThat(recovered).as("records handed to the dead-letter topic").isEmpty();
        verify(consumer).seek(partition, 7L);
        verify(consumer, never()).commitSync(any(Map.class), any(Duration.class));
    }

    /** The shared handler with a back-off that stops after two retries, recording what it dead-letters. */
    private static BlockingErrorHandler givingUp(List<ConsumerRecord<?, ?>> recovered) {
        BlockingErrorHandler handler = new BlockingErrorHandler(
                (record, failure) -> recovered.add(record),
                new FixedBackOff(0, 2),
                new ConsumerStalls(new SimpleMeterRegistry()));
        handler.addNotRetryableExceptions(MalformedEventException.class, NonRetryableEventException.class);
        return handler;
    }

    private static MessageListenerContainer container() {
        MessageListenerContainer container = mock(MessageListenerContainer.class);
        when(container.getGroupId()).thenReturn("audit-intake");
        when(container.isRunning()).thenReturn(true);
        when(container.getContainerFor(anyString(), anyInt())).thenReturn(container);
        return container;
    }
}
