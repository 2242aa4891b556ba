package com.aiw3.notification.dispatch;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.notification.NotificationRequest.NotificationRequested;
import com.aiw3.events.topic.Topics;
import com.aiw3.messaging.MessagingProperties;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * A notification that no channel could deliver is not dropped: the request goes to
 * {@code notification-requests-dlt} with the reason, in the header the dead-letter publisher of the
 * listeners uses too, for an operator to replay.
 */
@Component
class DeadLetters {

    static final String REASON_HEADER = "kafka_dlt-exception-message";

    private final KafkaTemplate<String, EventEnvelope<?>> kafka;
    private final String source;

    DeadLetters(KafkaTemplate<String, EventEnvelope<?>> kafka, MessagingProperties messaging) {
        this.kafka = kafka;
        this.source = messaging.source();
    }

    void undeliverable(StoredNotification n, String reason) {
        EventEnvelope<NotificationRequested> request = EventEnvelope.of(n.request(), source);
        ProducerRecord<String, EventEnvelope<?>> record =
                new ProducerRecord<>(Topics.NOTIFICATION_REQUESTS.deadLetterName(), n.userId(), request);
        record.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        kafka.send(record).join();
    }
}
