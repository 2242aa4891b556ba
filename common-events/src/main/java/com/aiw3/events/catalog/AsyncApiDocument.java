package com.aiw3.events.catalog;

import com.aiw3.events.topic.Topic;
import com.fasterxml.jackson.annotation.JsonValue;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates the AsyncAPI 3 document of every topic and event from the code itself. The committed copy
 * ({@code src/main/resources/asyncapi/aiw3-events.json}) is checked against this by a test. Every record
 * component is required and non-null, except one whose type is JSpecify {@code @Nullable}: that one is
 * optional and may be null.
 */
public final class AsyncApiDocument {

    public static final String RESOURCE = "asyncapi/aiw3-events.json";

    private final JsonMapper mapper =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private final Map<String, ObjectNode> schemas = new TreeMap<>();

    private AsyncApiDocument() {}

    public static String generate(EventCatalog catalog, Collection<Topic> topics, String version) {
        return new AsyncApiDocument().render(catalog, topics, version);
    }

    private String render(EventCatalog catalog, Collection<Topic> topics, String version) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("asyncapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "AIW3 NFT platform events");
        info.put("version", version);
        info.put(
                "description",
                "Every Kafka topic and event of the AIW3 NFT real-time platform. Generated from common-events;"
                        + " every message is an envelope whose payload is the event record.");
        doc.put("defaultContentType", "application/json");

        ObjectNode channels = doc.putObject("channels");
        ObjectNode operations = doc.putObject("operations");
        ObjectNode components = doc.putObject("components");
        ObjectNode messages = components.putObject("messages");

        for (Topic topic : topics) {
            ObjectNode channel = channels.putObject(topic.name());
            channel.put("address", topic.name());
            channel.put("description", topic.description() + " Key: " + topic.keyDescription() + ".");
            ObjectNode channelMessages = channel.putObject("messages");
            for (EventType<?> type : catalog.typesOn(topic)) {
                channelMessages.putObject(type.name()).put("$ref", "#/components/messages/" + type.name());
                messages.set(type.name(), message(type));
            }
            ObjectNode kafka = channel.putObject("bindings").putObject("kafka");
            kafka.put("topic", topic.name());
            kafka.put("partitions", topic.partitions());
            ObjectNode config = kafka.putObject("topicConfiguration");
            config.putArray("cleanup.policy").add("delete");
            config.put("retention.ms", topic.retention().toMillis());
            kafka.put("bindingVersion", "0.5.0");

            ObjectNode dlt = channels.putObject(topic.deadLetterName());
            dlt.put("address", topic.deadLetterName());
            dlt.put(
                    "description",
                    "Dead letters of " + topic.name() + ": records a consumer could not read or gave up on after"
                            + " its retries, with the exception in the record headers.");
            ObjectNode dltMessages = dlt.putObject("messages");
            for (EventType<?> type : catalog.typesOn(topic)) {
                dltMessages.putObject(type.name()).put("$ref", "#/components/messages/" + type.name());
            }

            ObjectNode operation = operations.putObject("publish-" + topic.name());
            operation.put("action", "send");
            operation.putObject("channel").put("$ref", "#/channels/" + topic.name());
            operation.put("summary", "Publish to " + topic.name() + ".");
        }
        ObjectNode schemaNode = components.putObject("schemas");
        schemas.forEach(schemaNode::set);
        return mapper.writeValueAsString(doc) + "\n";
    }

    private ObjectNode message(EventType<?> type) {
        ObjectNode message = mapper.createObjectNode();
        message.put("name", type.name());
        message.put("title", type.name());
        message.put("summary", type.summary());
        if (!type.clientType().isEmpty()) {
            message.put("description", "Shown to clients on their SSE stream as type '" + type.clientType() + "'.");
        }
        message.put("contentType", "application/json");
        ObjectNode payload = message.putObject("payload");
        payload.put("type", "object");
        ArrayNode required = payload.putArray("required");
        for (String field :
                List.of("eventId", "type", "version", "occurredAt", "key", "correlationId", "source", "payload")) {
            required.add(field);
        }
        ObjectNode props = payload.putObject("properties");
        props.putObject("eventId").put("type", "string").put("format", "uuid").put("description", "UUIDv7");
        props.putObject("type").put("const", type.name());
        props.putObject("version").put("type", "integer").put("const", type.version());
        props.putObject("occurredAt").put("type", "string").put("format", "date-time");
        props.putObject("key").put("type", "string");
        props.putObject("correlationId").put("type", "string").put("format", "uuid");
        props.putObject("causationId").putArray("type").add("string").add("null");
        props.putObject("source").put("type", "string");
        props.putObject("payload").put("$ref", "#/components/schemas/" + schemaFor(type.payloadClass()));
        ObjectNode key = message.putObject("bindings").putObject("kafka");
        key.putObject("key").put("type", "string");
        key.put("bindingVersion", "0.5.0");
        return message;
    }

    /** Registers the schema of a record or enum once, and returns its name. */
    private String schemaFor(Class<?> type) {
        String name = type.getSimpleName();
        if (schemas.containsKey(name)) {
            return name;
        }
        ObjectNode schema = mapper.createObjectNode();
        schemas.put(name, schema);
        if (type.isEnum()) {
            schema.put("type", "string");
            ArrayNode values = schema.putArray("enum");
            for (Object constant : type.getEnumConstants()) {
                values.add(wireName(constant));
            }
            return name;
        }
        if (!type.isRecord()) {
            throw new IllegalStateException("events are made of records, enums and values: " + type.getName());
        }
        schema.put("type", "object");
        ArrayNode required = schema.putArray("required");
        ObjectNode properties = schema.putObject("properties");
        for (RecordComponent component : type.getRecordComponents()) {
            ObjectNode property = typeSchema(component.getGenericType());
            if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                // JSpecify @Nullable: the field may be null (or left out); never required.
                property = orNull(property);
            } else {
                required.add(component.getName());
            }
            properties.set(component.getName(), property);
        }
        return name;
    }

    /** The schema that also accepts null: a type list with "null", or one of the reference and null. */
    private ObjectNode orNull(ObjectNode schema) {
        if (schema.has("type")) {
            String type = schema.get("type").asString();
            schema.putArray("type").add(type).add("null");
            return schema;
        }
        ObjectNode nullable = mapper.createObjectNode();
        ArrayNode oneOf = nullable.putArray("oneOf");
        oneOf.add(schema);
        oneOf.addObject().put("type", "null");
        return nullable;
    }

    private ObjectNode typeSchema(Type type) {
        ObjectNode node = mapper.createObjectNode();
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                node.put("type", "array");
                node.set("items", typeSchema(args[0]));
                return node;
            }
            if (Map.class.isAssignableFrom(raw)) {
                node.put("type", "object");
                node.set("additionalProperties", typeSchema(args[1]));
                return node;
            }
            throw new IllegalStateException("unsupported generic type in an event: " + type);
        }
        Class<?> cls = (Class<?>) type;
        if (cls == String.class) {
            node.put("type", "string");
        } else if (cls == UUID.class) {
            node.put("type", "string").put("format", "uuid");
        } else if (cls == Instant.class) {
            node.put("type", "string").put("format", "date-time");
        } else if (cls == int.class || cls == Integer.class) {
            node.put("type", "integer").put("format", "int32");
        } else if (cls == long.class || cls == Long.class) {
            node.put("type", "integer").put("format", "int64");
        } else if (cls == boolean.class || cls == Boolean.class) {
            node.put("type", "boolean");
        } else if (cls == BigDecimal.class) {
            node.put("type", "number");
        } else if (cls.isRecord() || cls.isEnum()) {
            node.put("$ref", "#/components/schemas/" + schemaFor(cls));
        } else {
            throw new IllegalStateException("unsupported type in an event: " + cls.getName());
        }
        return node;
    }

    private static String wireName(Object constant) {
        return Arrays.stream(constant.getClass().getMethods())
                .filter(method -> method.isAnnotationPresent(JsonValue.class))
                .findFirst()
                .map(method -> invoke(method, constant))
                .orElse(((Enum<?>) constant).name());
    }

    private static String invoke(Method method, Object target) {
        try {
            return String.valueOf(method.invoke(target));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
