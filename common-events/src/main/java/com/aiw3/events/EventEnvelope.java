package com.aiw3.events;

import com.aiw3.events.catalog.EventCatalog;
import com.aiw3.events.catalog.EventType;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The one envelope every event travels in, on every topic.
 *
 * @param eventId       UUIDv7, unique per event; consumers deduplicate on it
 * @param type          the event type name from the catalogue
 * @param version       the schema version the payload was written with
 * @param occurredAt    when the fact happened at the source
 * @param key           the partition key (the user, for user events): the unit of ordering
 * @param correlationId the id shared by every event of one business flow (one upgrade, one request)
 * @param causationId   the id of the event that caused this one, or null for a first event
 * @param source        the service that published it
 * @param payload       the event itself
 */
public record EventEnvelope<P extends EventPayload>(
        UUID eventId,
        String type,
        int version,
        Instant occurredAt,
        String key,
        UUID correlationId,
        @Nullable UUID causationId,
        String source,
        P payload) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(payload, "payload");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1");
        }
    }

    /** A first event of a flow: it starts its own correlation. */
    public static <P extends EventPayload> EventEnvelope<P> of(P payload, String source) {
        UUID id = EventIds.next();
        return create(id, id, null, payload, source);
    }

    /** An event caused by another: same correlation, the cause recorded. */
    public static <P extends EventPayload> EventEnvelope<P> causedBy(EventEnvelope<?> cause, P payload, String source) {
        return create(EventIds.next(), cause.correlationId(), cause.eventId(), payload, source);
    }

    /** An event belonging to a flow identified by {@code correlationId} (for example one upgrade). */
    public static <P extends EventPayload> EventEnvelope<P> correlated(UUID correlationId, P payload, String source) {
        return create(EventIds.next(), correlationId, null, payload, source);
    }

    private static <P extends EventPayload> EventEnvelope<P> create(
            UUID id, UUID correlationId, @Nullable UUID causationId, P payload, String source) {
        EventType<?> type = EventCatalog.typeOf(payload.getClass());
        return new EventEnvelope<>(
                id,
                type.name(),
                type.version(),
                Instant.now(),
                payload.partitionKey(),
                correlationId,
                causationId,
                source,
                payload);
    }

    /** The topic this event belongs on, from the registry. */
    public com.aiw3.events.topic.Topic topic() {
        return EventCatalog.typeOf(payload.getClass()).topic();
    }
}
