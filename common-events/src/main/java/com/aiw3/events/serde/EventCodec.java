package com.aiw3.events.serde;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventPayload;
import com.aiw3.events.UnknownEvent;
import com.aiw3.events.catalog.EventCatalog;
import com.aiw3.events.catalog.EventType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON for envelopes, with the evolution rules of {@code common-events/README.md}: unknown fields are
 * ignored (tolerant reader), older versions are upcast, unknown types come back as {@link UnknownEvent}.
 */
public final class EventCodec {

    public static final EventCodec DEFAULT = new EventCodec(EventCatalog.DEFAULT, List.of());

    private final EventCatalog catalog;
    private final Map<String, Upcaster> upcasters;
    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Amounts (profit, price, pnl) must come back exactly as sent, scale included.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    public EventCodec(EventCatalog catalog, List<Upcaster> upcasters) {
        this.catalog = catalog;
        this.upcasters = upcasters.stream()
                .collect(Collectors.toUnmodifiableMap(u -> u.type() + "@" + u.fromVersion(), Function.identity()));
    }

    public byte[] write(EventEnvelope<?> envelope) {
        return mapper.writeValueAsBytes(toTree(envelope));
    }

    public String writeString(EventEnvelope<?> envelope) {
        return mapper.writeValueAsString(toTree(envelope));
    }

    /** The payload alone as JSON: what a client sees as {@code data} on its stream. */
    public String writePayload(EventPayload payload) {
        return mapper.writeValueAsString(payload);
    }

    private ObjectNode toTree(EventEnvelope<?> envelope) {
        ObjectNode root = mapper.createObjectNode();
        root.put("eventId", envelope.eventId().toString());
        root.put("type", envelope.type());
        root.put("version", envelope.version());
        root.put("occurredAt", envelope.occurredAt().toString());
        root.put("key", envelope.key());
        root.put("correlationId", envelope.correlationId().toString());
        root.put(
                "causationId",
                envelope.causationId() == null ? null : envelope.causationId().toString());
        root.put("source", envelope.source());
        root.set("payload", mapper.valueToTree(envelope.payload()));
        return root;
    }

    public EventEnvelope<EventPayload> read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedEventException("empty record value");
        }
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (JacksonException e) {
            throw new MalformedEventException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("an envelope is a JSON object");
        }
        String typeName = text(root, "type");
        int version = root.path("version").asInt(0);
        if (version < 1) {
            throw new MalformedEventException("version must be a positive integer");
        }
        JsonNode payloadNode = root.get("payload");
        if (payloadNode == null || !payloadNode.isObject()) {
            throw new MalformedEventException("payload must be a JSON object");
        }
        String key = text(root, "key");
        EventPayload payload = catalog.byName(typeName)
                .<EventPayload>map(type -> readPayload(type, version, (ObjectNode) payloadNode))
                .orElseGet(() -> new UnknownEvent(key, payloadNode.toString()));
        try {
            String causation = root.path("causationId").isNull()
                            || root.path("causationId").isMissingNode()
                    ? null
                    : root.get("causationId").asString();
            return new EventEnvelope<>(
                    UUID.fromString(text(root, "eventId")),
                    typeName,
                    version,
                    Instant.parse(text(root, "occurredAt")),
                    key,
                    UUID.fromString(text(root, "correlationId")),
                    causation == null ? null : UUID.fromString(causation),
                    text(root, "source"),
                    payload);
        } catch (RuntimeException e) {
            throw new MalformedEventException("bad envelope field: " + e.getMessage(), e);
        }
    }

    private EventPayload readPayload(EventType<?> type, int version, ObjectNode payload) {
        ObjectNode current = payload;
        for (int v = version; v < type.version(); v++) {
            Upcaster upcaster = upcasters.get(type.name() + "@" + v);
            if (upcaster == null) {
                throw new MalformedEventException("no upcaster for " + type.name() + " from version " + v);
            }
            current = upcaster.transform().apply(current.deepCopy());
        }
        try {
            return mapper.treeToValue(current, type.payloadClass());
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("payload of " + type.name() + " does not fit its schema", e);
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isString() || node.asString().isBlank()) {
            throw new MalformedEventException("missing or blank field: " + field);
        }
        return node.asString();
    }

    /** The mapper used on the wire, for documents that describe it (the AsyncAPI generator). */
    JsonMapper mapper() {
        return mapper;
    }
}
