package com.aiw3.audit.intake;

import com.aiw3.audit.log.AuditLog;
import com.aiw3.audit.log.IncomingEvent;
import com.aiw3.events.topic.Topics;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Every topic of the registry, in batches, as raw bytes: the log keeps each envelope exactly as it was
 * published, including types this build does not know yet.
 */
@Component
class AuditIntake {

    private final AuditLog auditLog;

    AuditIntake(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @KafkaListener(
            id = "audit-intake",
            topics = {
                Topics.Names.NFT_UPGRADE_EVENTS,
                Topics.Names.REALTIME_USER_EVENTS,
                Topics.Names.REALTIME_BROADCASTS,
                Topics.Names.NOTIFICATION_REQUESTS,
                Topics.Names.NOTIFICATION_OUTCOMES,
                Topics.Names.USER_PRESENCE,
                Topics.Names.REALTIME_DELIVERY_OUTCOMES,
                Topics.Names.SSE_GATEWAY_INSTANCES,
                Topics.Names.TRADING_ACTIVITY
            },
            containerFactory = IntakeKafkaConfiguration.RAW_BATCH_FACTORY)
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        auditLog.append(records.stream()
                .filter(r -> r.value() != null)
                .map(r -> new IncomingEvent(r.topic(), r.partition(), r.offset(), r.value()))
                .toList());
    }
}
