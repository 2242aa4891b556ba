package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.aiw3.local.LocalPrometheus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboards and the alert rules of deploy/k8s against what the services really export: a real
 * Prometheus scrapes every service of the running platform while users upgrade (one online with a stream open,
 * one offline told by email); then every dashboard panel query must answer with data, every series an alert
 * selects must exist (with its labels, the SLO buckets included), and every alert rule must evaluate without
 * error. Needs Debian's {@code prometheus} package; skipped without it unless {@code AIW3_REQUIRE_PROMETHEUS} is
 * set (CI sets it).
 */
class MonitoringQueriesIntegrationTest {

    /**
     * Metrics no service exports, each with its exporter. The platform under test has no Kafka Exporter, so a
     * query over them answers with no data; it must still be valid PromQL that Prometheus evaluates without error.
     */
    private static final Map<String, String> NOT_FROM_THE_SERVICES =
            Map.of("kafka_topic_partition_current_offset", "Strimzi's Kafka Exporter (deploy/k8s monitors.yaml)");

    private static final Path MONITORING =
            Path.of("").toAbsolutePath().getParent().resolve("deploy/k8s/base/monitoring");

    private final Platform platform = Platform.get();

    @Test
    void everyDashboardQueryAndAlertExpressionFindsTheSeriesTheServicesExport() throws Exception {
        if (LocalPrometheus.binary().isEmpty()) {
            if (System.getenv("AIW3_REQUIRE_PROMETHEUS") != null) {
                fail("prometheus is not installed (apt-get install -y prometheus) and AIW3_REQUIRE_PROMETHEUS is set");
            }
            Assumptions.abort("prometheus not installed (apt-get install -y prometheus)");
        }
        LocalPrometheus prometheus = platform.prometheus();

        User online = Journeys.holder(platform, "watched");
        User offline = Journeys.holder(platform, "unwatched");
        offline.giveEmailAddress();
        try (EventStream stream = EventStream.open(platform, online)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !stream.ofType("connection_established").isEmpty());
            String watched = Journeys.upgradeThroughBurn(online);
            String unwatched = Journeys.upgradeThroughBurn(offline);
            assertThat(Journeys.awaitTerminal(online, watched, Duration.ofSeconds(90)))
                    .isEqualTo("completed");
            assertThat(Journeys.awaitTerminal(offline, unwatched, Duration.ofSeconds(90)))
                    .isEqualTo("completed");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !stream.ofType("notification").isEmpty());
        }

        Map<String, String> dashboards = dashboardQueries();
        Map<String, String> alerts = alertExpressions();
        assertThat(dashboards).hasSizeGreaterThan(20);
        assertThat(alerts).hasSizeGreaterThan(10);
        // Scrapes run every second; the email, the analytics projection and the rules' evaluation follow the
        // upgrades within seconds.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    List<String> problems = new ArrayList<>();
                    dashboards.forEach((panel, expr) -> problems.addAll(answers(prometheus, panel, expr)));
                    alerts.forEach((alert, expr) -> {
                        for (String selector : selectors(expr)) {
                            problems.addAll(answers(prometheus, "alert " + alert + ": " + selector, selector));
                        }
                    });
                    problems.addAll(rulesFailing(prometheus));
                    problems.addAll(targetsDown(prometheus));
                    assertThat(problems).as("queries without data or in error").isEmpty();
                });
        System.out.printf(
                "[system] %d dashboard queries and the selectors of %d alerts answered by Prometheus%n",
                dashboards.size(), alerts.size());
    }

    /** Panel title (with the query's position) to query, for every panel of every dashboard. */
    private static Map<String, String> dashboardQueries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(MONITORING.resolve("dashboards"))) {
            for (Path file : files.sorted().toList()) {
                JsonNode dashboard = User.JSON.readTree(Files.readString(file));
                for (JsonNode panel : dashboard.path("panels")) {
                    int i = 0;
                    for (JsonNode target : panel.path("targets")) {
                        queries.put(
                                file.getFileName() + " / " + panel.path("title").asString() + " #" + ++i,
                                target.path("expr").asString());
                    }
                }
            }
        }
        return queries;
    }

    /** Alert name to expression, from the PrometheusRule (inline or a literal block after {@code expr: |}). */
    static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> alerts = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(MONITORING.resolve("alerts.yaml"));
        String alert = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("- alert: ")) {
                alert = line.substring("- alert: ".length()).strip();
            } else if (alert != null && line.startsWith("expr: ")) {
                String value = line.substring("expr: ".length()).strip();
                if (value.equals("|")) {
                    int indent = indentOf(lines.get(i + 1));
                    StringBuilder block = new StringBuilder();
                    while (i + 1 < lines.size()
                            && (lines.get(i + 1).isBlank() || indentOf(lines.get(i + 1)) >= indent)) {
                        block.append(lines.get(++i).strip()).append('\n');
                    }
                    value = block.toString().strip();
                }
                alerts.put(alert, value);
                alert = null;
            }
        }
        return alerts;
    }

    private static int indentOf(String line) {
        return line.length() - line.stripLeading().length();
    }

    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern SELECTOR =
            Pattern.compile("(?<![\\w.:\"])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");

    /** The vector selectors of a PromQL expression: each metric name with its label matchers. */
    static Set<String> selectors(String expr) {
        String e = RANGE.matcher(GROUPING.matcher(expr).replaceAll(" ")).replaceAll(" ");
        Set<String> selectors = new LinkedHashSet<>();
        Matcher m = SELECTOR.matcher(e);
        while (m.find()) {
            String rest = e.substring(m.end()).stripLeading();
            if (KEYWORDS.contains(m.group(1)) || (m.group(2) == null && rest.startsWith("("))) {
                continue;
            }
            selectors.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
        }
        return selectors;
    }

    /** Scrape targets Prometheus could not read, with its reason: a scrape error hides every series of a service. */
    private static List<String> targetsDown(LocalPrometheus prometheus) {
        JsonNode targets = get(prometheus, "/api/v1/targets");
        return targets.path("data")
                .path("activeTargets")
                .valueStream()
                .filter(t -> !t.path("health").asString().equals("up"))
                .map(t -> "target " + t.path("labels").path("pod").asString() + " "
                        + t.path("health").asString() + ": "
                        + t.path("lastError").asString())
                .toList();
    }

    /**
     * Nothing when the query answers with at least one series (or, over a metric no service exports, when it
     * evaluates without error); else why not.
     */
    private static List<String> answers(LocalPrometheus prometheus, String what, String query) {
        String metric = query.replaceAll("\\{.*", "");
        JsonNode answer = get(prometheus, "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        if (!"success".equals(answer.path("status").asString())) {
            return List.of(what + ": " + answer.path("error").asString());
        }
        if (!answer.path("data").path("result").isEmpty()
                || NOT_FROM_THE_SERVICES.keySet().stream().anyMatch(query::contains)) {
            return List.of();
        }
        JsonNode known = get(
                prometheus,
                "/api/v1/query?query="
                        + URLEncoder.encode("count({__name__=\"" + metric + "\"})", StandardCharsets.UTF_8));
        boolean unknown = metric.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")
                && known.path("data").path("result").isEmpty();
        return List.of(what + (unknown ? ": unknown metric " + metric : ": no data") + " <" + query + ">");
    }

    /** Every alert rule evaluated, without error. */
    private static List<String> rulesFailing(LocalPrometheus prometheus) {
        List<String> failing = new ArrayList<>();
        for (JsonNode group : get(prometheus, "/api/v1/rules").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (!"ok".equals(rule.path("health").asString())) {
                    failing.add("rule " + rule.path("name").asString() + ": "
                            + rule.path("health").asString() + " "
                            + rule.path("lastError").asString());
                }
            }
        }
        return failing;
    }

    private static JsonNode get(LocalPrometheus prometheus, String path) {
        try {
            HttpResponse<String> response = User.HTTP.send(
                    HttpRequest.newBuilder(URI.create(prometheus.url() + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return User.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Prometheus did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
