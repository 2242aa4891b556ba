package com.aiw3.messaging.inbox;

import com.aiw3.events.EventEnvelope;
import com.aiw3.messaging.EventLogContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies an event's effect at most once per consumer: the event id is recorded in the same transaction
 * as the effect. A redelivery finds the id and does nothing; a failed effect rolls the id back too, so
 * the retry runs it again.
 */
public final class IdempotentConsumer {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final MeterRegistry meters;

    IdempotentConsumer(JdbcClient jdbc, TransactionTemplate tx, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.meters = meters;
    }

    /**
     * Runs {@code effect} in a transaction unless {@code consumer} already processed this event.
     *
     * @return true when the effect ran, false for a duplicate
     */
    public boolean runOnce(String consumer, EventEnvelope<?> event, Runnable effect) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            if (!claim(consumer, event)) {
                counter(consumer, "duplicate").increment();
                return false;
            }
            effect.run();
            counter(consumer, "applied").increment();
            return true;
        }));
    }

    /** Like {@link #runOnce} for an effect with a result; null for a duplicate. */
    public <T> @Nullable T callOnce(String consumer, EventEnvelope<?> event, Supplier<T> effect) {
        return tx.execute(status -> {
            if (!claim(consumer, event)) {
                counter(consumer, "duplicate").increment();
                return null;
            }
            T result = effect.get();
            counter(consumer, "applied").increment();
            return result;
        });
    }

    /**
     * For batch listeners: applies the effect of every event of the batch not yet processed, in order,
     * in one transaction (one statement claims all ids). If anything fails, the batch is replayed event
     * by event, each in its own transaction, and the first failing one is reported with its index, so
     * the error handler commits what succeeded and retries or dead-letters only that record.
     *
     * @return how many effects ran
     */
    public int runOnceEach(
            String consumer, List<? extends EventEnvelope<?>> events, Consumer<EventEnvelope<?>> effect) {
        try {
            Integer applied = tx.execute(status -> {
                Set<UUID> claimed = new HashSet<>(jdbc.sql("""
                                insert into messaging_processed_event (consumer, event_id)
                                select ?, id from unnest(?::uuid[]) as id
                                on conflict do nothing
                                returning event_id""")
                        .params(
                                consumer,
                                events.stream().map(EventEnvelope::eventId).toArray(UUID[]::new))
                        .query(UUID.class)
                        .list());
                int ran = 0;
                for (EventEnvelope<?> event : events) {
                    if (claimed.remove(event.eventId())) {
                        try (EventLogContext ignored = EventLogContext.of(event)) {
                            effect.accept(event);
                        }
                        ran++;
                    }
                }
                return ran;
            });
            int ran = applied == null ? 0 : applied;
            counter(consumer, "applied").increment(ran);
            counter(consumer, "duplicate").increment(events.size() - ran);
            return ran;
        } catch (RuntimeException batchFailure) {
            int ran = 0;
            for (int i = 0; i < events.size(); i++) {
                EventEnvelope<?> event = events.get(i);
                try (EventLogContext ignored = EventLogContext.of(event)) {
                    if (runOnce(consumer, event, () -> effect.accept(event))) {
                        ran++;
                    }
                } catch (RuntimeException failure) {
                    throw new BatchListenerFailedException(
                            Objects.requireNonNullElse(failure.getMessage(), failure.toString()), failure, i);
                }
            }
            return ran;
        }
    }

    private boolean claim(String consumer, EventEnvelope<?> event) {
        return jdbc.sql("""
                        insert into messaging_processed_event (consumer, event_id) values (?, ?)
                        on conflict do nothing""").params(consumer, event.eventId()).update() == 1;
    }

    private Counter counter(String consumer, String outcome) {
        return Counter.builder("aiw3.inbox.events")
                .description("Consumed events by outcome: applied, or skipped as a duplicate")
                .tag("consumer", consumer)
                .tag("outcome", outcome)
                .register(meters);
    }
}
