package com.aiw3.audit.intake;

import com.aiw3.audit.log.AuditLog;
import com.aiw3.audit.log.IncomingEvent;
import com.aiw3.events.topic.Topics;
import com.aiw3.messaging.tracing.MessageTracing;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Every topic of the registry, in batches, as raw bytes: the log keeps each envelope exactly as it was
 * published, including types this build does not know yet. Each batch runs in one span linked to its records'
 * traces.
 */
@Component
class AuditIntake {

    static final String CONSUMER = "audit-intake";

    private final AuditLog auditLog;
    private final MessageTracing tracing;

    AuditIntake(AuditLog auditLog, MessageTracing tracing) {
        this.auditLog = auditLog;
        this.tracing = tracing;
    }

    @KafkaListener(
            id = CONSUMER,
            topics = {
                Topics.Names.NFT_UPGRADE_EVENTS,
                Topics.Names.REALTIME_USER_EVENTS,
                Topics.Names.REALTIME_BROADCASTS,
                Topics.Names.NOTIFICATION_REQUESTS,
                Topics.Names.NOTIFICATION_OUTCOMES,
                Topics.Names.USER_PRESENCE,
                Topics.Names.REALTIME_DELIVERY_OUTCOMES,
                Topics.Names.SSE_GATEWAY_INSTANCES,
                Topics.Names.TRADING_ACTIVITY,
                Topics.Names.SESSION_REVOCATIONS
            },
            containerFactory = IntakeKafkaConfiguration.RAW_BATCH_FACTORY)
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        try (MessageTracing.Scope batch = tracing.batch(CONSUMER + " batch", records)) {
            auditLog.append(records.stream()
                    .filter(r -> r.value() != null)
                    .map(r -> new IncomingEvent(r.topic(), r.partition(), r.offset(), r.value()))
                    .toList());
        }
    }
}
