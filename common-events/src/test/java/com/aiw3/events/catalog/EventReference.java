package com.aiw3.events.catalog;

import com.aiw3.events.topic.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders {@code docs/reference/events.md}, the event catalogue for people, from the topic registry and
 * the AsyncAPI document's schemas (so that a field's type is worked out in one place).
 */
final class EventReference {

    static final String REGENERATE = "./mvnw -pl common-events test -Ddocs.write=true";

    private EventReference() {}

    static String render(EventCatalog catalog, Collection<Topic> topics, String asyncApi) {
        JsonNode schemas =
                JsonMapper.shared().readTree(asyncApi).path("components").path("schemas");
        StringBuilder out = new StringBuilder();
        out.append("# Event catalogue\n\n")
                .append("<!-- Generated from common-events (topic registry and event records); do not edit.\n")
                .append("     Regenerate: ")
                .append(REGENERATE)
                .append(" -->\n\n")
                .append("Every Kafka topic of the platform and every event on it. The machine-readable form is the")
                .append(" AsyncAPI document\n[`aiw3-events.json`](../../common-events/src/main/resources/")
                .append(AsyncApiDocument.RESOURCE)
                .append(
                        "); the rules for changing an event are in\n[common-events](../../common-events/README.md).\n\n");

        out.append("## Envelope\n\nEvery record on every topic is one JSON envelope whose `payload` is the event:\n\n")
                .append("| field | type | meaning |\n|---|---|---|\n")
                .append("| `eventId` | uuid | UUIDv7, unique per event; consumers deduplicate on it |\n")
                .append("| `type` | string | the event type below |\n")
                .append("| `version` | int32 | the schema version the payload was written with |\n")
                .append("| `occurredAt` | date-time | when the fact happened at the source |\n")
                .append("| `key` | string | the Kafka record key (the unit of ordering) |\n")
                .append("| `correlationId` | uuid | shared by every event of one business flow |\n")
                .append("| `causationId` | uuid or null | the event that caused this one |\n")
                .append("| `source` | string | the service that published it |\n")
                .append("| `payload` | object | the event's fields below |\n\n");

        out.append("## Topics\n\nPartitions and retention are the production settings; each topic has a")
                .append(" dead-letter topic `<topic>-dlt` with the same events.\n\n")
                .append("| topic | key | partitions | retention | events |\n|---|---|---|---|---|\n");
        for (Topic topic : topics) {
            out.append("| [`")
                    .append(topic.name())
                    .append("`](#")
                    .append(topic.name())
                    .append(") | ")
                    .append(topic.keyDescription())
                    .append(" | ")
                    .append(topic.partitions())
                    .append(" | ")
                    .append(days(topic.retention()))
                    .append(" | ")
                    .append(catalog.typesOn(topic).size())
                    .append(" |\n");
        }
        for (Topic topic : topics) {
            out.append("\n### ")
                    .append(topic.name())
                    .append("\n\n")
                    .append(topic.description())
                    .append("\n\n");
            out.append("| event | version | SSE type | what happened |\n|---|---|---|---|\n");
            for (EventType<?> type : catalog.typesOn(topic)) {
                out.append("| [")
                        .append(type.name())
                        .append("](#")
                        .append(type.name().toLowerCase())
                        .append(") | ")
                        .append(type.version())
                        .append(" | ")
                        .append(type.clientType().isEmpty() ? "-" : "`" + type.clientType() + "`")
                        .append(" | ")
                        .append(type.summary())
                        .append(" |\n");
            }
        }

        out.append("\n## Event types\n");
        for (EventType<?> type : catalog.types()) {
            out.append("\n### ")
                    .append(type.name())
                    .append("\n\n")
                    .append(type.summary())
                    .append("\n\nTopic [`")
                    .append(type.topic().name())
                    .append("`](#")
                    .append(type.topic().name())
                    .append("), version ")
                    .append(type.version())
                    .append(
                            type.clientType().isEmpty()
                                    ? ", never sent to clients."
                                    : ", SSE type `" + type.clientType() + "`.")
                    .append("\n\n");
            fields(out, schemas.path(type.payloadClass().getSimpleName()));
        }

        out.append("\n## Shared types\n");
        List<String> shared = schemas.propertyNames().stream()
                .filter(name -> catalog.types().stream().noneMatch(t -> t.name().equals(name)))
                .sorted()
                .toList();
        for (String name : shared) {
            JsonNode schema = schemas.path(name);
            out.append("\n### ").append(name).append("\n\n");
            if (schema.has("enum")) {
                out.append("One of: ")
                        .append(schema.path("enum")
                                .valueStream()
                                .map(value -> "`" + value.asString() + "`")
                                .collect(Collectors.joining(", ")))
                        .append(".\n");
            } else {
                fields(out, schema);
            }
        }
        return out.toString();
    }

    private static void fields(StringBuilder out, JsonNode schema) {
        out.append("| field | type |\n|---|---|\n");
        schema.path("properties")
                .properties()
                .forEach(field -> out.append("| `")
                        .append(field.getKey())
                        .append("` | ")
                        .append(typeName(field.getValue()))
                        .append(" |\n"));
    }

    private static String typeName(JsonNode node) {
        if (node.has("oneOf")) {
            return typeName(node.path("oneOf").path(0)) + " or null";
        }
        if (node.path("type").isArray()) {
            return typeName(((tools.jackson.databind.node.ObjectNode) node.deepCopy())
                            .put("type", node.path("type").path(0).asString()))
                    + " or null";
        }
        if (node.has("$ref")) {
            String name = node.path("$ref").asString().replace("#/components/schemas/", "");
            return "[" + name + "](#" + name.toLowerCase() + ")";
        }
        return switch (node.path("type").asString()) {
            case "array" -> "list of " + typeName(node.path("items"));
            case "object" -> "map of string to " + typeName(node.path("additionalProperties"));
            case "string" -> node.has("format") ? node.path("format").asString() : "string";
            case "integer" -> node.path("format").asString();
            case "number" -> "decimal";
            default -> node.path("type").asString();
        };
    }

    private static String days(Duration retention) {
        long days = retention.toDays();
        return days == 1 ? "1 day" : days + " days";
    }
}
