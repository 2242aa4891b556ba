package com.aiw3.messaging.outbox;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.serde.EventCodec;
import com.aiw3.messaging.EventLogContext;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.tracing.MessageTracing;
import java.sql.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes the event into the outbox inside the caller's transaction; the relay is woken when that
 * transaction commits. Called outside a transaction it fails: an event without its state is a lie. The
 * current trace context goes into the row too, so the relay's send continues the trace of the request.
 */
final class OutboxEventPublisher implements EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(OutboxEventPublisher.class);
    private static final String WAKE_KEY = OutboxEventPublisher.class.getName() + ".wake";

    private final JdbcClient jdbc;
    private final OutboxRelay relay;
    private final EventCodec codec;
    private final MessageTracing tracing;

    OutboxEventPublisher(JdbcClient jdbc, OutboxRelay relay, EventCodec codec, MessageTracing tracing) {
        this.jdbc = jdbc;
        this.relay = relay;
        this.codec = codec;
        this.tracing = tracing;
    }

    @Override
    public void publish(EventEnvelope<?> event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("publish through the outbox inside the transaction that changes the state");
        }
        jdbc.sql("""
                        insert into messaging_outbox
                            (event_id, topic, record_key, event_type, event_version, envelope, trace_parent)
                        values (:id, :topic, :key, :type, :version, :envelope, :traceParent)""")
                .param("id", event.eventId())
                .param("topic", event.topic().name())
                .param("key", event.key())
                .param("type", event.type())
                .param("version", event.version())
                .param("envelope", codec.write(event))
                .param("traceParent", tracing.currentTraceParent(), Types.VARCHAR)
                .update();
        if (log.isDebugEnabled()) {
            // The local run's --traces: the line carries the trace of the request that wrote the row.
            log.debug(
                    "{} written to the outbox for {}",
                    EventLogContext.describe(event),
                    event.topic().name());
        }
        if (!TransactionSynchronizationManager.hasResource(WAKE_KEY)) {
            TransactionSynchronizationManager.bindResource(WAKE_KEY, Boolean.TRUE);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(WAKE_KEY);
                    if (status == STATUS_COMMITTED) {
                        relay.wake();
                    }
                }
            });
        }
    }
}
