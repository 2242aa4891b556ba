package com.aiw3.events.catalog;

import com.aiw3.events.EventPayload;
import com.aiw3.events.EventSchema;
import com.aiw3.events.topic.Topic;
import com.aiw3.events.topic.Topics;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every event type, derived from the sealed families of the topic registry: a record added to a family
 * is in the catalogue (and the AsyncAPI document test) without another list to keep in step.
 */
public final class EventCatalog {

    public static final EventCatalog DEFAULT = new EventCatalog(Topics.all());

    private final Map<Class<?>, EventType<?>> byClass = new LinkedHashMap<>();
    private final Map<String, EventType<?>> byName = new LinkedHashMap<>();

    public EventCatalog(Collection<Topic> topics) {
        for (Topic topic : topics) {
            for (Class<?> permitted : sortedPermitted(topic.family())) {
                register(topic, permitted);
            }
        }
    }

    private static List<Class<?>> sortedPermitted(Class<?> family) {
        return Arrays.stream(family.getPermittedSubclasses())
                .sorted(Comparator.comparing(Class::getSimpleName))
                .toList();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void register(Topic topic, Class<?> type) {
        if (type.isSealed()) {
            sortedPermitted(type).forEach(sub -> register(topic, sub));
            return;
        }
        if (!type.isRecord()) {
            throw new IllegalStateException("events are records: " + type.getName());
        }
        EventSchema schema = type.getAnnotation(EventSchema.class);
        if (schema == null) {
            throw new IllegalStateException("@EventSchema missing on " + type.getName());
        }
        EventType<?> eventType = new EventType(
                type.getSimpleName(), schema.version(), type, topic, schema.summary(), schema.clientType());
        if (byName.putIfAbsent(eventType.name(), eventType) != null) {
            throw new IllegalStateException("two event types named " + eventType.name());
        }
        byClass.put(type, eventType);
    }

    /** The type of a payload class of the default catalogue. */
    public static EventType<?> typeOf(Class<?> payloadClass) {
        return DEFAULT.type(payloadClass);
    }

    public EventType<?> type(Class<?> payloadClass) {
        EventType<?> type = byClass.get(payloadClass);
        if (type == null) {
            throw new IllegalArgumentException("not an event type of the catalogue: " + payloadClass.getName());
        }
        return type;
    }

    public Optional<EventType<?>> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<EventType<?>> types() {
        return List.copyOf(byName.values());
    }

    public List<EventType<?>> typesOn(Topic topic) {
        return byName.values().stream().filter(t -> t.topic().equals(topic)).toList();
    }

    /** True when the payload's type may appear on a client stream; false for types this build does not know. */
    public static boolean reachesClients(EventPayload payload) {
        EventType<?> type = DEFAULT.byClass.get(payload.getClass());
        return type != null && !type.clientType().isEmpty();
    }
}
