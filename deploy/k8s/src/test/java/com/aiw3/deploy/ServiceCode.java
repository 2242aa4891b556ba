package com.aiw3.deploy;

import com.aiw3.events.topic.Topic;
import com.aiw3.events.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    /**
     * The consumer groups of the service's {@code @KafkaListener}s and the topics each subscribes to. The
     * group is the listener's {@code groupId}, else its {@code id} (Spring Kafka's default), else the
     * {@code spring.kafka.consumer.group-id} of application.yml.
     */
    Map<String, Set<String>> listenerGroups() throws IOException {
        Map<String, Set<String>> groups = new TreeMap<>();
        for (Path source : mainSources()) {
            String code = Files.readString(source);
            for (int at = code.indexOf("@KafkaListener("); at >= 0; at = code.indexOf("@KafkaListener(", at + 1)) {
                String annotation = balanced(code, at + "@KafkaListener".length());
                Matcher groupId =
                        Pattern.compile("\\bgroupId\\s*=\\s*([\\w.\"-]+)").matcher(annotation);
                Matcher id = Pattern.compile("\\bid\\s*=\\s*([\\w.\"-]+)").matcher(annotation);
                String group;
                if (groupId.find()) {
                    group = constant(groupId.group(1));
                } else if (id.find() && !annotation.matches("(?s).*idIsGroup\\s*=\\s*false.*")) {
                    group = constant(id.group(1));
                } else {
                    group = applicationYml()
                            .at("/spring/kafka/consumer/group-id")
                            .asText();
                }
                groups.computeIfAbsent(group, g -> new TreeSet<>()).addAll(topicNames(annotation));
            }
        }
        return groups;
    }

    /**
     * The topics read by consumers the service assigns partitions to itself (it removes the group id from
     * its consumer configuration): the registry constants in the {@code TOPICS} declaration of that file.
     */
    Set<String> topicsReadWithoutGroup() throws IOException {
        Set<String> topics = new TreeSet<>();
        for (Path source : mainSources()) {
            String code = Files.readString(source);
            if (code.contains("remove(ConsumerConfig.GROUP_ID_CONFIG)")) {
                int start = code.indexOf("TOPICS =");
                topics.addAll(topicNames(code.substring(start, code.indexOf(';', start))));
            }
        }
        return topics;
    }

    private List<Path> mainSources() throws IOException {
        try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    private static String balanced(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return code.substring(open, i + 1);
            }
        }
        throw new IllegalStateException("unbalanced annotation");
    }

    /** A string literal, or a {@code static final String} constant declared in the service's code. */
    private String constant(String expression) throws IOException {
        if (expression.startsWith("\"")) {
            return expression.substring(1, expression.length() - 1);
        }
        String name = expression.substring(expression.lastIndexOf('.') + 1);
        Pattern declaration = Pattern.compile("static final String " + name + "\\s*=\\s*\"([^\"]+)\"");
        for (Path source : mainSources()) {
            Matcher m = declaration.matcher(Files.readString(source));
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new IllegalStateException(module + ": no constant " + expression);
    }

    /** The registry topics named in code: {@code Topics.Names.X} or {@code Topics.X}. */
    private static Set<String> topicNames(String code) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("Topics\\.(?:Names\\.)?([A-Z][A-Z0-9_]*)").matcher(code);
        while (m.find()) {
            try {
                Object value = Topics.class.getField(m.group(1)).get(null);
                names.add(((Topic) value).name());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no topic " + m.group(1) + " in the registry", e);
            }
        }
        return names;
    }

    private static void addProperties(JsonNode metadata, Set<String> names) {
        metadata.path("properties").forEach(property -> {
            String name = environmentForm(property.path("name").asText());
            names.add(name);
            // A map (spring.kafka.properties): each of its keys is a variable of its own.
            if (property.path("type").asText().startsWith("java.util.Map<")) {
                names.add(name + "_*");
            }
        });
    }

    /** Whether a variable is one of {@link #environmentVariables()}, a key of a map property included. */
    static boolean reads(Set<String> known, String variable) {
        return known.contains(variable)
                || known.stream()
                        .filter(k -> k.endsWith("_*"))
                        .anyMatch(k -> variable.startsWith(k.substring(0, k.length() - 1)));
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
