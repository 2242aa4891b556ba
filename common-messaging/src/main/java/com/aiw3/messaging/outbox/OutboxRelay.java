package com.aiw3.messaging.outbox;

import com.aiw3.events.serde.EventHeaders;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.messaging.tracing.MessageTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves committed outbox rows to Kafka, at least once and in commit order.
 *
 * <p>Event-driven: a commit that wrote events wakes the relay at once; a slow sweep only catches rows
 * left by an instance that died between commit and relay. One relay at a time across all instances
 * (a PostgreSQL advisory lock held for the batch's transaction), so rows of one key are never sent by
 * two relays out of order. A batch is marked published only after the broker acknowledged all of it;
 * a crash in between re-sends it, and consumers deduplicate by event id.
 */
final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** "AIW3" and 1: the advisory lock id of the outbox relay in this database. */
    private static final long LOCK_ID = 0x4149573300000001L;

    private static final Duration LOCKED_ELSEWHERE_RETRY = Duration.ofMillis(100);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private record Pending(
            long seq,
            UUID eventId,
            String topic,
            String key,
            String type,
            int version,
            byte[] envelope,
            Instant createdAt,
            @Nullable String traceParent) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final KafkaTemplate<String, byte[]> kafka;
    private final MessagingProperties.Outbox config;
    private final MessageTracing tracing;
    private final Semaphore signal = new Semaphore(0);
    private final AtomicLong backlog = new AtomicLong();
    private final Counter published;
    private final Counter failures;
    private final Timer delay;
    private volatile boolean running;
    private @Nullable Thread worker;
    private Instant lastPurge = Instant.EPOCH;

    OutboxRelay(
            JdbcClient jdbc,
            TransactionTemplate tx,
            KafkaTemplate<String, byte[]> kafka,
            MessagingProperties.Outbox config,
            MeterRegistry meters,
            MessageTracing tracing) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.kafka = kafka;
        this.config = config;
        this.tracing = tracing;
        this.published = Counter.builder("aiw3.outbox.published")
                .description("Outbox events acknowledged by Kafka")
                .register(meters);
        this.failures = Counter.builder("aiw3.outbox.relay.failures")
                .description("Relay rounds that failed and will be retried")
                .register(meters);
        this.delay = Timer.builder("aiw3.outbox.relay.delay")
                .description("Time from commit of an event to its acknowledgement by Kafka")
                .publishPercentileHistogram()
                .register(meters);
        Gauge.builder("aiw3.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox events not yet relayed, as of the last sweep")
                .register(meters);
    }

    /** Called after a commit that wrote events; wake-ups while a round runs coalesce into one more round. */
    void wake() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    private void loop() {
        Duration wait = Duration.ZERO;
        while (running) {
            try {
                if (signal.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    signal.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!running) {
                return;
            }
            try {
                wait = relayPending() ? config.sweepInterval() : LOCKED_ELSEWHERE_RETRY;
                purgeIfDue();
            } catch (RuntimeException e) {
                failures.increment();
                log.warn("outbox relay round failed; retrying in {}", config.sweepInterval(), e);
                wait = config.sweepInterval();
            }
        }
    }

    /**
     * Relays every pending row. Returns false when another instance holds the relay lock (it will send
     * them, but we retry soon in case it finished its query before our commit).
     */
    boolean relayPending() {
        while (true) {
            int sent = relayBatch();
            if (sent < 0) {
                return false;
            }
            if (sent < config.batchSize()) {
                backlog.set(countPending());
                return true;
            }
        }
    }

    private int relayBatch() {
        Integer sent = tx.execute(status -> {
            Boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(?)")
                    .param(LOCK_ID)
                    .query(Boolean.class)
                    .single();
            if (!locked) {
                return -1;
            }
            List<Pending> batch = jdbc.sql("""
                            select seq, event_id, topic, record_key, event_type, event_version, envelope, created_at,
                                   trace_parent
                            from messaging_outbox where published_at is null order by seq limit ?""")
                    .param(config.batchSize())
                    .query((rs, row) -> new Pending(
                            rs.getLong(1),
                            rs.getObject(2, UUID.class),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getInt(6),
                            rs.getBytes(7),
                            rs.getTimestamp(8).toInstant(),
                            rs.getString(9)))
                    .list();
            if (batch.isEmpty()) {
                return 0;
            }
            send(batch);
            jdbc.sql("update messaging_outbox set published_at = now() where seq = any(?)")
                    .param(batch.stream().mapToLong(Pending::seq).boxed().toArray(Long[]::new))
                    .update();
            Instant now = Instant.now();
            batch.forEach(p -> delay.record(Duration.between(p.createdAt(), now)));
            published.increment(batch.size());
            return batch.size();
        });
        return sent == null ? 0 : sent;
    }

    private void send(List<Pending> batch) {
        List<CompletableFuture<?>> acks = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(p.topic(), p.key(), p.envelope());
            record.headers()
                    .add(EventHeaders.EVENT_ID, bytes(p.eventId().toString()))
                    .add(EventHeaders.EVENT_TYPE, bytes(p.type()))
                    .add(EventHeaders.EVENT_VERSION, bytes(Integer.toString(p.version())));
            // The send (its span and its traceparent header) continues the trace of the transaction that wrote the row.
            try (MessageTracing.Scope relay = tracing.continueTrace(p.traceParent(), "outbox relay", null)) {
                relay.tag("aiw3.event.id", p.eventId().toString()).tag("aiw3.event.type", p.type());
                log.debug("relaying {} {} to {}", p.type(), p.eventId(), p.topic());
                acks.add(kafka.send(record));
            }
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not acknowledge the outbox batch", e);
        }
    }

    private long countPending() {
        return jdbc.sql("select count(*) from messaging_outbox where published_at is null")
                .query(Long.class)
                .single();
    }

    private void purgeIfDue() {
        Instant now = Instant.now();
        if (Duration.between(lastPurge, now).compareTo(PURGE_EVERY) < 0) {
            return;
        }
        lastPurge = now;
        Timestamp cutoff = Timestamp.from(now.minus(config.retention()));
        int outbox = jdbc.sql("delete from messaging_outbox where published_at < ?")
                .param(cutoff)
                .update();
        int inbox = jdbc.sql("delete from messaging_processed_event where processed_at < ?")
                .param(cutoff)
                .update();
        if (outbox + inbox > 0) {
            log.info(
                    "purged {} published outbox rows and {} processed-event ids older than {}",
                    outbox,
                    inbox,
                    config.retention());
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        signal.release();
        Thread started = worker;
        if (started == null) {
            return;
        }
        try {
            started.join(config.publishTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the Kafka producer and the connection pool, starts after them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
