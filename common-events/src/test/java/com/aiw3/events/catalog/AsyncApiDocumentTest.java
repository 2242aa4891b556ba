package com.aiw3.events.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the committed AsyncAPI document and the event catalogue ({@code docs/reference/events.md}) in step
 * with the code. After changing an event, regenerate them: {@code ./mvnw -pl common-events test
 * -Dasyncapi.write=true -Ddocs.write=true}.
 */
class AsyncApiDocumentTest {

    private static final Path COMMITTED = Path.of("src/main/resources", AsyncApiDocument.RESOURCE);

    private final String generated = AsyncApiDocument.generate(EventCatalog.DEFAULT, Topics.all(), "1");

    @Test
    void committedDocumentMatchesTheCode() throws IOException {
        if (Boolean.getBoolean("asyncapi.write")) {
            Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
                .as("AsyncAPI document is stale: run ./mvnw -pl common-events test -Dasyncapi.write=true")
                .isEqualTo(generated);
    }

    @Test
    void committedEventCatalogueMatchesTheCode() throws IOException {
        Path committed = Path.of("../docs/reference/events.md");
        String catalogue = EventReference.render(EventCatalog.DEFAULT, Topics.all(), generated);
        if (Boolean.getBoolean("docs.write")) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, catalogue, StandardCharsets.UTF_8);
        }
        assertThat(committed)
                .as("docs/reference/events.md is stale: run " + EventReference.REGENERATE)
                .exists();
        assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                .as("docs/reference/events.md is stale: run " + EventReference.REGENERATE)
                .isEqualTo(catalogue);
    }

    @Test
    void eventCatalogueNamesEveryTopicAndEveryEventType() {
        String catalogue = EventReference.render(EventCatalog.DEFAULT, Topics.all(), generated);

        assertThat(catalogue)
                .contains(
                        Topics.all().stream().map(t -> "### " + t.name() + "\n").toList());
        assertThat(catalogue)
                .contains(EventCatalog.DEFAULT.types().stream()
                        .map(t -> "### " + t.name() + "\n\n" + t.summary())
                        .toList());
    }

    @Test
    void documentNamesEveryTopicItsDeadLetterTopicAndEveryEventType() {
        JsonNode doc = JsonMapper.shared().readTree(generated);

        assertThat(doc.path("asyncapi").asString()).isEqualTo("3.0.0");
        assertThat(doc.path("channels").propertyNames()).containsAll(Topics.allNamesWithDeadLetters());
        assertThat(doc.path("components").path("messages").propertyNames())
                .containsExactlyInAnyOrderElementsOf(EventCatalog.DEFAULT.types().stream()
                        .map(EventType::name)
                        .toList());
    }

    @Test
    void everyReferenceInTheDocumentResolves() {
        JsonNode doc = JsonMapper.shared().readTree(generated);
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);

        assertThat(refs).isNotEmpty().allSatisfy(ref -> {
            JsonNode target = doc.at(ref.substring(1));
            assertThat(target.isMissingNode()).as(ref).isFalse();
        });
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                if (entry.getKey().equals("$ref")) {
                    refs.add(entry.getValue().asString());
                } else {
                    collectRefs(entry.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
