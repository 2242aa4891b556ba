package com.aiw3.events.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.SampleEvents;
import com.aiw3.events.serde.EventCodec;
import com.aiw3.events.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published contract is true of the bytes on the topics: every event, serialised by the codec the
 * services use, both fully populated and with each {@code @Nullable} field null, validates against its
 * message in the generated AsyncAPI document (required fields present, types, nullability, enums,
 * constants, and no field the document does not name).
 */
class AsyncApiConformanceTest {

    private static final JsonNode DOCUMENT =
            JsonMapper.shared().readTree(AsyncApiDocument.generate(EventCatalog.DEFAULT, Topics.all(), "1"));

    static Stream<EventType<?>> everyType() {
        return EventCatalog.DEFAULT.types().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void aSerialisedEventWithEveryFieldSetMatchesItsSchema(EventType<?> type) {
        assertThat(violations(type, SampleEvents.sample(type.payloadClass()))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void aSerialisedEventWithItsNullableFieldsNullMatchesItsSchema(EventType<?> type) {
        assertThat(violations(type, SampleEvents.sampleWithNulls(type.payloadClass())))
                .isEmpty();
    }

    @Test
    void aNullableFieldIsNeitherRequiredNorNonNullAndTheOthersAre() {
        JsonNode schema = DOCUMENT.at("/components/schemas/RecordsUpdateStarted");

        assertThat(schema.path("required").valueStream().map(JsonNode::asString))
                .containsExactly("upgradeId", "userId", "mintAddress");
        assertThat(schema.at("/properties/mintSignature/type").valueStream().map(JsonNode::asString))
                .containsExactly("string", "null");
        assertThat(schema.at("/properties/mintAddress/type").asString()).isEqualTo("string");
        assertThat(DOCUMENT.at("/components/schemas/MintedNft/required")
                        .valueStream()
                        .map(JsonNode::asString))
                .doesNotContain("transactionSignature")
                .contains("mintAddress");
    }

    @Test
    void theCheckFindsANullWhereTheSchemaHasNone() {
        List<String> found = new ArrayList<>();
        validate(
                JsonMapper.shared().readTree("{\"upgradeId\":null,\"userId\":\"u\",\"mintAddress\":\"m\"}"),
                DOCUMENT.at("/components/schemas/RecordsUpdateStarted"),
                "$",
                found);

        assertThat(found).containsExactly("$.upgradeId: null where the schema allows string");
    }

    private static List<String> violations(EventType<?> type, com.aiw3.events.EventPayload payload) {
        JsonNode bytes = JsonMapper.shared().readTree(EventCodec.DEFAULT.write(EventEnvelope.of(payload, "test")));
        List<String> found = new ArrayList<>();
        validate(bytes, DOCUMENT.at("/components/messages/" + type.name() + "/payload"), "$", found);
        return found;
    }

    /** The JSON Schema keywords the generator writes, checked against one value. */
    private static void validate(JsonNode value, JsonNode schema, String path, List<String> found) {
        if (schema.has("$ref")) {
            validate(value, DOCUMENT.at(schema.path("$ref").asString().substring(1)), path, found);
            return;
        }
        if (schema.has("oneOf")) {
            long matching = schema.path("oneOf")
                    .valueStream()
                    .filter(option -> {
                        List<String> inner = new ArrayList<>();
                        validate(value, option, path, inner);
                        return inner.isEmpty();
                    })
                    .count();
            if (matching != 1) {
                found.add(path + ": matches " + matching + " of oneOf");
            }
            return;
        }
        if (schema.has("const") && !schema.path("const").equals(value)) {
            found.add(path + ": " + value + " is not " + schema.path("const"));
        }
        if (schema.has("enum") && schema.path("enum").valueStream().noneMatch(value::equals)) {
            found.add(path + ": " + value + " is not one of " + schema.path("enum"));
        }
        if (!schema.has("type")) {
            return;
        }
        List<String> types = schema.path("type").isArray()
                ? schema.path("type").valueStream().map(JsonNode::asString).toList()
                : List.of(schema.path("type").asString());
        if (value.isNull()) {
            if (!types.contains("null")) {
                found.add(path + ": null where the schema allows " + String.join(" or ", types));
            }
            return;
        }
        boolean typed = types.stream().anyMatch(t -> switch (t) {
            case "string" -> value.isString();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> false;
        });
        if (!typed) {
            found.add(path + ": " + value + " is not " + String.join(" or ", types));
            return;
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                validate(value.get(i), schema.path("items"), path + "[" + i + "]", found);
            }
        }
        if (value.isObject()) {
            schema.path("required")
                    .valueStream()
                    .map(JsonNode::asString)
                    .filter(field -> !value.has(field))
                    .forEach(field -> found.add(path + "." + field + ": required, missing"));
            value.properties().forEach(field -> {
                JsonNode declared = schema.path("properties").path(field.getKey());
                if (!declared.isMissingNode()) {
                    validate(field.getValue(), declared, path + "." + field.getKey(), found);
                } else if (schema.has("additionalProperties")) {
                    validate(field.getValue(), schema.path("additionalProperties"), path + "." + field.getKey(), found);
                } else {
                    found.add(path + "." + field.getKey() + ": not in the schema");
                }
            });
        }
    }
}
