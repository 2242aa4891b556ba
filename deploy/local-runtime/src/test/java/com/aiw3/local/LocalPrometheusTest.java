package com.aiw3.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalPrometheusTest {

    @Test
    void theRuleFileIsThePrometheusRulesSpecUnindented() throws Exception {
        String rule = Files.readString(Path.of("../k8s/base/monitoring/alerts.yaml"));

        String rules = LocalPrometheus.ruleFile(rule);

        assertThat(rules).startsWith("groups:\n");
        assertThat(rules).contains("\n  - name: aiw3-upgrade\n", "\n      - alert: MintFailedCritical\n");
        assertThat(rules).doesNotContain("apiVersion", "kind: PrometheusRule");
    }

    @Test
    void everyServiceIsATargetLabelledWithItsName() {
        Map<String, Integer> services = new LinkedHashMap<>();
        services.put("api-gateway", 18080);
        services.put("sse-gateway", 18082);

        String config = LocalPrometheus.config(services, Duration.ofSeconds(1));

        assertThat(config)
                .contains("scrape_interval: 1000ms")
                .contains("metrics_path: /actuator/prometheus")
                .contains("- targets: ['127.0.0.1:18082']\n        labels:\n          pod: sse-gateway\n");
    }
}
