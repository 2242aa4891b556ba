package com.aiw3.events.serde;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Kafka deserializer for envelopes. Throws {@link MalformedEventException} for poison records; wrap it in
 * Spring Kafka's {@code ErrorHandlingDeserializer} so they reach the dead-letter topic.
 */
public class EventDeserializer implements Deserializer<EventEnvelope<EventPayload>> {

    private final EventCodec codec;

    public EventDeserializer() {
        this(EventCodec.DEFAULT);
    }

    public EventDeserializer(EventCodec codec) {
        this.codec = codec;
    }

    @Override
    public @Nullable EventEnvelope<EventPayload> deserialize(String topic, byte @Nullable [] data) {
        return data == null ? null : codec.read(data);
    }
}
