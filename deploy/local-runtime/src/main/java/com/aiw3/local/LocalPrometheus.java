package com.aiw3.local;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Prometheus server (Debian's {@code prometheus} package, started from {@code PATH}) scraping every service's
 * {@code /actuator/prometheus} and evaluating the alert rules of {@code deploy/k8s/base/monitoring/alerts.yaml}, as
 * the cluster's Prometheus does: for {@code ./run-local --prometheus} and the system tests' check of the
 * dashboards and alerts. Each target carries the label {@code pod} (the service's name), which the dashboards
 * group by in the cluster.
 */
public final class LocalPrometheus {

    /** The local run's port (the services' management port 9090 exists only in the cluster). */
    public static final int PORT = 9090;

    /**
     * For every service this Prometheus scrapes: no exemplars in the metrics. With tracing on, each histogram's
     * {@code _count} carries its trace's exemplar, which Prometheus before 2.43 (Debian's package is 2.42) refuses,
     * failing the whole scrape ("metric name ..._count does not support exemplars"). The cluster's Prometheus is
     * newer and keeps them.
     */
    public static final Map<String, String> SCRAPED_SERVICE_ENV = Map.of(
            "SPRING_AUTOCONFIGURE_EXCLUDE",
            "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration");

    private static final String RULES_FILE = "aiw3-alerts.rules.yaml";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final int port;

    private LocalPrometheus(int port) {
        this.port = port;
    }

    /** The {@code prometheus} executable on {@code PATH}, if installed. */
    public static Optional<Path> binary() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, "prometheus"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Starts Prometheus on {@code port} with its data under {@code work}, scraping {@code services} (name to
     * port on 127.0.0.1) every {@code interval}, and waits until it is ready.
     */
    public static LocalPrometheus start(
            Path repo, Path work, Processes processes, int port, Map<String, Integer> services, Duration interval)
            throws IOException, InterruptedException {
        Path binary = binary().orElseThrow(
                        () -> new IllegalStateException("prometheus is not installed: apt-get install -y prometheus"));
        Path home = Files.createDirectories(work.resolve("prometheus"));
        Files.writeString(
                home.resolve(RULES_FILE),
                ruleFile(Files.readString(repo.resolve("deploy/k8s/base/monitoring/alerts.yaml"))));
        Files.writeString(home.resolve("prometheus.yml"), config(services, interval));
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--config.file=" + home.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + home.resolve("data"),
                "--storage.tsdb.retention.time=1d",
                "--web.listen-address=127.0.0.1:" + port));
        processes.start("prometheus", command, Map.of());
        LocalPrometheus prometheus = new LocalPrometheus(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!prometheus.ready()) {
            if (!processes.alive("prometheus")) {
                throw new IllegalStateException("prometheus exited; see " + processes.logOf("prometheus"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "prometheus not ready within 60 s; see " + processes.logOf("prometheus"));
            }
            Thread.sleep(200);
        }
        return prometheus;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private boolean ready() {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The PrometheusRule's {@code spec} block, which is a Prometheus rule file once unindented. */
    static String ruleFile(String prometheusRule) {
        StringBuilder rules = new StringBuilder();
        boolean inSpec = false;
        for (String line : prometheusRule.split("\n", -1)) {
            if (line.equals("spec:")) {
                inSpec = true;
            } else if (inSpec && !line.isBlank() && !line.startsWith("  ")) {
                break;
            } else if (inSpec) {
                rules.append(line.length() >= 2 ? line.substring(2) : line).append('\n');
            }
        }
        if (!inSpec) {
            throw new IllegalArgumentException("no spec: in the PrometheusRule");
        }
        return rules.toString();
    }

    static String config(Map<String, Integer> services, Duration interval) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("global:\n")
                .append("  scrape_interval: ")
                .append(interval.toMillis())
                .append("ms\n")
                .append("  evaluation_interval: ")
                .append(interval.toMillis())
                .append("ms\n")
                .append("rule_files:\n  - ")
                .append(RULES_FILE)
                .append('\n')
                .append("scrape_configs:\n")
                .append("  - job_name: aiw3\n")
                .append("    metrics_path: /actuator/prometheus\n")
                .append("    static_configs:\n");
        services.forEach((name, servicePort) -> yaml.append("      - targets: ['127.0.0.1:")
                .append(servicePort)
                .append("']\n")
                .append("        labels:\n")
                .append("          pod: ")
                .append(name)
                .append('\n'));
        return yaml.toString();
    }
}
