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
     * Reads the document the service on {@code port} serves at {@code /v3/api-docs} and checks it as
     * {@link #assertDocumentIsCurrent} does.
     */
    public static void assertServedDocumentIsCurrent(String service, int port, Class<?> testClass) throws IOException {
        java.net.http.HttpResponse<String> served = new TestHttp(port).getAnonymously("/v3/api-docs");
        assertThat(served.statusCode()).as("GET /v3/api-docs").isEqualTo(200);
        assertDocumentIsCurrent(service, served.body(), testClass.getSimpleName());
    }

    /**
     * Fails when the served document differs from the checked-in one; with {@code -Ddocs.write=true} it
     * rewrites the checked-in one first. The served {@code servers} (the test's random port) are left out.
     */
    public static void assertDocumentIsCurrent(String service, String servedJson, String testClass) throws IOException {
        assertAnswersAreTyped(servedJson);
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
                                + " -Dit.test=%s -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false"
                                + " -Ddocs.write=true, then npm run generate --prefix frontend/client",
                        service, service, testClass)
                .isEqualTo(served);
    }

    /**
     * Every answer of every operation names its media type (no {@code *}{@code /*}), and every error answer
     * (4xx, 5xx) is {@code application/problem+json}: a client generated from the document can tell a
     * problem from an answer.
     */
    @SuppressWarnings("unchecked")
    static void assertAnswersAreTyped(String json) {
        Map<String, Object> document = MAPPER.readValue(json, Map.class);
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        assertThat(paths).as("the document's paths").isNotEmpty();
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            Map<String, Map<String, Object>> responses =
                    (Map<String, Map<String, Object>>) ((Map<String, Object>) operation).get("responses");
            responses.forEach((code, response) -> {
                String answer = method.toUpperCase(java.util.Locale.ROOT) + " " + path + " " + code;
                Map<String, Object> content = (Map<String, Object>) response.get("content");
                if (code.startsWith("4") || code.startsWith("5")) {
                    assertThat(content).as(answer).isNotNull().containsOnlyKeys("application/problem+json");
                } else if (content != null) {
                    assertThat(content).as(answer).doesNotContainKey("*/*");
                }
            });
        }));
    }

    static String normalised(String json) {
        @SuppressWarnings("unchecked")
        Map<String, Object> document = MAPPER.readValue(json, Map.class);
        document.remove("servers");
        return MAPPER.writeValueAsString(document) + "\n";
    }
}
