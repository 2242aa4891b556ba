package com.aiw3.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.FileSystemResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One service's section of {@code docs/reference/configuration.md}, generated from the configuration
 * metadata of its {@code @ConfigurationProperties} records (and those of the shared modules on its class
 * path) and from its {@code application.yml}. A test in each service calls {@link #assertSectionIsCurrent}
 * from the service's module directory, so {@code ./mvnw -pl <service> -am verify} checks its own section.
 */
public final class ConfigurationReference {

    static final Path DOCUMENT = Path.of("../docs/reference/configuration.md");
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    private static final String HEADER = """
            # Configuration reference

            <!-- Each service's section is generated from its configuration metadata and application.yml and
                 checked by its build; do not edit a section by hand.
                 Regenerate one: ./mvnw -pl <service> -am test -Dtest=ConfigurationReferenceTest \
            -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.write=true -->

            Every setting of every service: its own `aiw3.*` properties (type, default, meaning, and the environment
            variable that sets it in a container) and the framework settings its `application.yml` fixes. Any
            property can be set as an environment variable: upper case, `.` becomes `_`, `-` is dropped.
            """;

    private ConfigurationReference() {}

    /**
     * Fails when the service's section differs from what its code and {@code application.yml} say; with
     * {@code -Ddocs.write=true} it rewrites the section first.
     */
    public static void assertSectionIsCurrent(String service) throws IOException {
        String section = render(service);
        String begin = "<!-- section:" + service + " -->\n";
        String end = "<!-- /section:" + service + " -->\n";
        String document = Files.exists(DOCUMENT) ? Files.readString(DOCUMENT, StandardCharsets.UTF_8) : HEADER;
        int from = document.indexOf(begin);
        int to = document.indexOf(end);
        String committed = from < 0 || to < 0 ? "" : document.substring(from + begin.length(), to);
        if (Boolean.getBoolean("docs.write") && !committed.equals(section)) {
            String updated = from < 0 || to < 0
                    ? document + "\n" + begin + section + end
                    : document.substring(0, from + begin.length()) + section + document.substring(to);
            Files.createDirectories(DOCUMENT.getParent());
            Files.writeString(DOCUMENT, updated, StandardCharsets.UTF_8);
            committed = section;
        }
        assertThat(committed)
                .as(
                        "the %s section of docs/reference/configuration.md is stale: run ./mvnw -pl %s -am test"
                                + " -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
                                + " -Ddocs.write=true",
                        service, service)
                .isEqualTo(section);
    }

    /** The section of one service, run from its module directory after its classes are compiled. */
    public static String render(String service) throws IOException {
        Map<String, JsonNode> properties = ownProperties();
        Map<String, String> yaml = applicationYaml(Path.of("src/main/resources/application.yml"));
        StringBuilder out = new StringBuilder("## ").append(service).append("\n\n");
        if (properties.isEmpty()) {
            out.append("No `aiw3.*` properties of its own.\n\n");
        } else {
            out.append("| property | type | default | description | environment variable |\n")
                    .append("|---|---|---|---|---|\n");
            properties.forEach((name, property) -> out.append("| `")
                    .append(name)
                    .append("` | ")
                    .append(simpleType(property.path("type").asString()))
                    .append(" | ")
                    .append(code(yaml.getOrDefault(
                            name,
                            property.path("defaultValue").isMissingNode() ? "" : text(property.path("defaultValue")))))
                    .append(" | ")
                    .append(cell(property.path("description").asString("")))
                    .append(" | `")
                    .append(name.toUpperCase(Locale.ROOT).replace(".", "_").replace("-", ""))
                    .append("` |\n"));
            out.append('\n');
        }
        out.append("Set in `application.yml`:\n\n| property | value |\n|---|---|\n");
        yaml.forEach((name, value) -> {
            if (!properties.containsKey(name)) {
                out.append("| `")
                        .append(name)
                        .append("` | ")
                        .append(code(value))
                        .append(" |\n");
            }
        });
        return out.append('\n').toString();
    }

    /** Every {@code aiw3.*} property the service's own and shared modules' metadata declare, by name. */
    private static Map<String, JsonNode> ownProperties() throws IOException {
        Map<String, JsonNode> properties = new TreeMap<>();
        for (URL url :
                Collections.list(ConfigurationReference.class.getClassLoader().getResources(METADATA))) {
            try (InputStream in = url.openStream()) {
                JsonMapper.shared().readTree(in).path("properties").forEach(property -> {
                    String name = property.path("name").asString();
                    if (name.startsWith("aiw3.")) {
                        properties.putIfAbsent(name, property);
                    }
                });
            }
        }
        return properties;
    }

    private static Map<String, String> applicationYaml(Path file) {
        Map<String, String> flat = new LinkedHashMap<>();
        try {
            for (var source : new YamlPropertySourceLoader().load("application.yml", new FileSystemResource(file))) {
                EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) source;
                for (String name : enumerable.getPropertyNames()) {
                    flat.put(name, String.valueOf(enumerable.getProperty(name)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return flat;
    }

    private static String text(JsonNode value) {
        if (value.isArray()) {
            return value.valueStream()
                    .map(JsonNode::asString)
                    .reduce((a, b) -> a + "," + b)
                    .orElse("");
        }
        return value.asString();
    }

    private static String simpleType(String type) {
        return type.replaceAll("[a-z][a-z0-9_]*\\.", "")
                .replace('$', '.')
                .replace("<", "&lt;")
                .replace(">", "&gt;");
    }

    private static String code(String value) {
        return value.isEmpty() ? "" : "`" + value.replace("|", "\\|") + "`";
    }

    private static String cell(String text) {
        return text.replaceAll("\\{@code ([^}]*)}", "`$1`").replace("\n", " ").replace("|", "\\|");
    }
}
