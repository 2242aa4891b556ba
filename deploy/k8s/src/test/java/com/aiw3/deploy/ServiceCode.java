package com.aiw3.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** What the manifests must agree with, read from one service's code, configuration and built jar. */
record ServiceCode(String name, Path module) {

    static final List<String> NAMES = List.of(
            "api-gateway",
            "upgrade-service",
            "sse-gateway",
            "notification-service",
            "analytics-service",
            "audit-service");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern METER = Pattern.compile("\"(aiw3(?:\\.[a-z]+)+)\"");

    static List<ServiceCode> all() {
        return NAMES.stream()
                .map(name -> new ServiceCode(name, Manifests.REPO.resolve(name)))
                .toList();
    }

    JsonNode applicationYml() throws IOException {
        return YAML.readTree(
                module.resolve("src/main/resources/application.yml").toFile());
    }

    int serverPort() throws IOException {
        return applicationYml().path("server").path("port").asInt();
    }

    Path jar() {
        return module.resolve("target").resolve(name + "-0.1.0-SNAPSHOT.jar");
    }

    /**
     * Every environment variable the service reads: each configuration property it knows (its own
     * {@code @ConfigurationProperties} and those of every library in its jar, from their
     * spring-configuration-metadata.json) in Spring's canonical environment form, plus the variables
     * its application.yml names in placeholders.
     */
    Set<String> environmentVariables() throws IOException {
        Set<String> names = new HashSet<>();
        try (JarFile jar = new JarFile(jar().toFile())) {
            for (var entry : jar.stream().toList()) {
                // The application's own metadata: at the root in Boot 4's jar layout, under classes before.
                if (entry.getName().equals("META-INF/spring-configuration-metadata.json")
                        || entry.getName().equals("BOOT-INF/classes/META-INF/spring-configuration-metadata.json")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        addProperties(JSON.readTree(in), names);
                    }
                } else if (entry.getName().startsWith("BOOT-INF/lib/")
                        && entry.getName().endsWith(".jar")) {
                    try (ZipInputStream nested = new ZipInputStream(jar.getInputStream(entry))) {
                        for (ZipEntry inner; (inner = nested.getNextEntry()) != null; ) {
                            if (inner.getName().equals("META-INF/spring-configuration-metadata.json")) {
                                addProperties(JSON.readTree(nested.readAllBytes()), names);
                            }
                        }
                    }
                }
            }
        }
        try (Stream<Path> files = Files.list(module.resolve("src/main/resources"))) {
            for (Path yml : files.filter(f -> f.getFileName().toString().startsWith("application"))
                    .toList()) {
                Matcher placeholder = PLACEHOLDER.matcher(Files.readString(yml));
                while (placeholder.find()) {
                    names.add(placeholder.group(1));
                }
            }
        }
        return names;
    }

    private static void addProperties(JsonNode metadata, Set<String> names) {
        metadata.path("properties")
                .forEach(property ->
                        names.add(environmentForm(property.path("name").asText())));
    }

    /** Spring Boot's canonical form: dots to underscores, dashes removed, upper case. */
    static String environmentForm(String property) {
        return property.replace('.', '_').replace("-", "").toUpperCase(java.util.Locale.ROOT);
    }

    /** The Prometheus names of the meters the platform's own code registers (aiw3.*). */
    static Set<String> meterNames() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Manifests.REPO)) {
            for (Path source : sources.filter(
                            p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .toList()) {
                Matcher meter = METER.matcher(Files.readString(source));
                while (meter.find()) {
                    names.add(meter.group(1).replace('.', '_'));
                }
            }
        }
        return names;
    }
}
