package com.aiw3.events.serde;

import com.aiw3.events.EventEnvelope;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/** Kafka serializer for envelopes; also stamps the id, type and version headers. */
public class EventSerializer implements Serializer<EventEnvelope<?>> {

    private final EventCodec codec;

    public EventSerializer() {
        this(EventCodec.DEFAULT);
    }

    public EventSerializer(EventCodec codec) {
        this.codec = codec;
    }

    @Override
    public byte @Nullable [] serialize(String topic, @Nullable EventEnvelope<?> envelope) {
        return envelope == null ? null : codec.write(envelope);
    }

    @Override
    public byte @Nullable [] serialize(String topic, Headers headers, @Nullable EventEnvelope<?> envelope) {
        if (envelope == null) {
            return null;
        }
        headers.remove(EventHeaders.EVENT_ID).remove(EventHeaders.EVENT_TYPE).remove(EventHeaders.EVENT_VERSION);
        headers.add(EventHeaders.EVENT_ID, bytes(envelope.eventId().toString()));
        headers.add(EventHeaders.EVENT_TYPE, bytes(envelope.type()));
        headers.add(EventHeaders.EVENT_VERSION, bytes(Integer.toString(envelope.version())));
        return codec.write(envelope);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
