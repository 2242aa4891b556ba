package com.aiw3.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The alert rules of {@code base/monitoring/alerts.yaml} as Prometheus itself reads them: {@code promtool check
 * rules}, and {@code promtool test rules} with one unit-test file per alert in {@code src/test/prometheus}, each
 * with a case where its alert fires and one where it does not. promtool comes with Debian's {@code prometheus}
 * package; without it the promtool checks are skipped, unless {@value #REQUIRED} is set (CI sets it).
 */
class AlertRulesTest {

    static final String REQUIRED = "AIW3_REQUIRE_PROMETHEUS";
    private static final Path UNIT_TESTS = Manifests.K8S.resolve("src/test/prometheus");
    private static final String RULES_FILE = "aiw3-alerts.rules.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void alertRulesAreValidForPrometheus() throws Exception {
        Path work = ruleFiles();

        Run check = promtool(work, "check", "rules", RULES_FILE);

        assertThat(check.exit()).as(check.output()).isZero();
    }

    @Test
    void everyAlertsUnitTestPasses() throws Exception {
        Path work = ruleFiles();
        List<String> command = new ArrayList<>(List.of("test", "rules"));
        try (Stream<Path> files = Files.list(work)) {
            files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".test.yaml"))
                    .sorted()
                    .forEach(command::add);
        }

        Run test = promtool(work, command.toArray(String[]::new));

        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasAUnitTestWhereItFiresAndOneWhereItDoesNot() throws IOException {
        Map<String, String> alerts = alerts();
        assertThat(alerts).hasSizeGreaterThan(10);

        for (String alert : alerts.keySet()) {
            Path file = UNIT_TESTS.resolve(alert + ".test.yaml");
            assertThat(file).as("unit test of " + alert).exists();
            boolean fires = false;
            boolean quiet = false;
            for (JsonNode group : YAML.readTree(file.toFile()).path("tests")) {
                for (JsonNode check : group.path("alert_rule_test")) {
                    assertThat(check.path("alertname").asText()).isEqualTo(alert);
                    if (check.path("exp_alerts").isEmpty()) {
                        quiet = true;
                    } else {
                        fires = true;
                    }
                }
            }
            assertThat(fires).as(alert + " fires in its unit test").isTrue();
            assertThat(quiet).as(alert + " stays quiet in its unit test").isTrue();
        }
        try (Stream<Path> files = Files.list(UNIT_TESTS)) {
            assertThat(files.map(p -> p.getFileName().toString().replace(".test.yaml", "")))
                    .as("unit tests of alerts that no longer exist")
                    .allSatisfy(name -> assertThat(alerts).containsKey(name));
        }
    }

    /** Alert name to expression, in file order. */
    static Map<String, String> alerts() throws IOException {
        Map<String, String> alerts = new TreeMap<>();
        for (JsonNode group : rules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    alerts.put(rule.path("alert").asText(), rule.path("expr").asText());
                }
            }
        }
        return alerts;
    }

    /** The PrometheusRule's {@code spec}: a Prometheus rule file. */
    private static JsonNode rules() throws IOException {
        return YAML.readTree(
                        Manifests.K8S.resolve("base/monitoring/alerts.yaml").toFile())
                .path("spec");
    }

    /** The rule file and the unit tests next to it, as promtool expects them ({@code rule_files} is relative). */
    private static Path ruleFiles() throws IOException {
        Path work = Manifests.K8S.resolve("target/prometheus");
        Files.createDirectories(work);
        YAML.writeValue(work.resolve(RULES_FILE).toFile(), rules());
        try (Stream<Path> files = Files.list(UNIT_TESTS)) {
            for (Path file : files.toList()) {
                Files.copy(file, work.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return work;
    }

    private record Run(int exit, String output) {}

    private static Run promtool(Path directory, String... arguments) throws Exception {
        Optional<Path> promtool = onPath("promtool");
        if (promtool.isEmpty()) {
            if (System.getenv(REQUIRED) != null) {
                fail("promtool is not installed (apt-get install -y prometheus) and " + REQUIRED + " is set");
            }
            Assumptions.abort("promtool not installed (apt-get install -y prometheus): rule checks skipped");
        }
        List<String> command = new ArrayList<>();
        command.add(promtool.get().toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }

    private static Optional<Path> onPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
