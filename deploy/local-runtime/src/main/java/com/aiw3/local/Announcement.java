package com.aiw3.local;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.events.serde.EventSerializer;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts one feature announcement on the broadcast topic of the running local suite, the way a producing
 * service would: the first step of following one event through the platform (README).
 */
public final class Announcement {

    private Announcement() {}

    static EventEnvelope<?> publish(String message) throws Exception {
        return publish(LocalKafka.BOOTSTRAP, message);
    }

    public static EventEnvelope<?> publish(String bootstrap, String message) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        var event = EventEnvelope.of(
                new BroadcastEvent.FeatureAnnounced(EventIds.next(), message, List.of()), "local-runtime");
        try (var producer =
                new KafkaProducer<String, EventEnvelope<?>>(props, new StringSerializer(), new EventSerializer())) {
            producer.send(new ProducerRecord<>(event.topic().name(), event.key(), event))
                    .get();
        }
        return event;
    }
}
