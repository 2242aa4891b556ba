package com.aiw3.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One service's OpenAPI document checked in under {@code docs/reference/openapi/<service>.json}, so that
 * clients (the TypeScript kit's REST types) are generated from a reviewed file and a change of the API
 * shows in review. A test in each service calls {@link #assertDocumentIsCurrent} from the service's module
 * directory with the document the running service serves.
 */
public final class OpenApiReference {

    static final Path DIRECTORY = Path.of("../docs/reference/openapi");

    // Keys sorted at every level: the served order depends on bean and reflection order, not on the API.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private OpenApiReference() {}

    /**
     * Fails when the served document differs from the checked-in one; with {@code -Ddocs.write=true} it
     * rewrites the checked-in one first. The served {@code servers} (the test's random port) are left out.
     */
    public static void assertDocumentIsCurrent(String service, String servedJson, String testClass) throws IOException {
        String served = normalised(servedJson);
        Path file = DIRECTORY.resolve(service + ".json");
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (Boolean.getBoolean("docs.write") && !committed.equals(served)) {
            Files.createDirectories(DIRECTORY);
            Files.writeString(file, served, StandardCharsets.UTF_8);
            committed = served;
        }
        assertThat(committed)
                .as(
                        "docs/reference/openapi/%s.json is not what the service serves: run ./mvnw -pl %s -am verify"
                                + " -Dit.test=%s -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
                                + " -Ddocs.write=true, then npm run generate --prefix frontend/client",
                        service, service, testClass)
                .isEqualTo(served);
    }

    static String normalised(String json) {
        @SuppressWarnings("unchecked")
        Map<String, Object> document = MAPPER.readValue(json, Map.class);
        document.remove("servers");
        return MAPPER.writeValueAsString(document) + "\n";
    }
}
