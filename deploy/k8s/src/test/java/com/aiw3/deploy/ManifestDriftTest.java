package com.aiw3.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fails when the manifests drift from the services' code and common-events. */
class ManifestDriftTest {

    private static List<HasMetadata> rendered(String overlay) throws Exception {
        var yaml = Manifests.render(Manifests.K8S.resolve(overlay));
        Assumptions.assumeTrue(yaml.isPresent(), "kubectl (with kustomize) is not installed here");
        return Manifests.parse(yaml.get(), overlay);
    }

    @ParameterizedTest
    @CsvSource({"overlays/prod, 3", "overlays/dev, 1"})
    void theKafkaTopicsAreExactlyTheRegistrysWithItsDeadLetterTopics(String overlay, short replicas)
            throws IOException {
        Path file = Manifests.K8S.resolve(overlay).resolve("topics.yaml");
        String expected = KafkaTopicManifests.render(0, replicas);
        if (Boolean.getBoolean("aiw3.deploy.write-topics")) {
            Files.writeString(file, expected);
        }

        assertThat(Files.readString(file))
                .as("%s is generated from common-events; regenerate with -Daiw3.deploy.write-topics=true", file)
                .isEqualTo(expected);
        assertThat(Manifests.ofKind(Manifests.parse(file), KafkaTopic.class))
                .allSatisfy(t -> assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "aiw3"));
    }

    @Test
    void everyServiceIsDeployedWithItsOwnImageServicePdbAndConfigMap() throws Exception {
        List<HasMetadata> prod = rendered("overlays/prod");

        for (String name : ServiceCode.NAMES) {
            Deployment deployment = Manifests.named(prod, Deployment.class, name);
            assertThat(container(deployment).getImage()).isEqualTo("registry.aiw3.example/aiw3/" + name + ":0.1.0");
            Manifests.named(prod, Service.class, name);
            Manifests.named(prod, PodDisruptionBudget.class, name);
            Manifests.named(prod, ConfigMap.class, name);
        }
        assertThat(Manifests.ofKind(prod, HorizontalPodAutoscaler.class))
                .extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrder("api-gateway", "sse-gateway", "upgrade-service");
    }

    @Test
    void containerAndServicePortsAreTheServicesServerPorts() throws Exception {
        List<HasMetadata> prod = rendered("overlays/prod");
        ConfigMap gateway = Manifests.named(prod, ConfigMap.class, "api-gateway");

        for (ServiceCode service : ServiceCode.all()) {
            int port = service.serverPort();
            assertThat(container(Manifests.named(prod, Deployment.class, service.name()))
                            .getPorts())
                    .extracting(p -> p.getName() + ":" + p.getContainerPort())
                    .containsExactly("http:" + port, "management:" + MANAGEMENT_PORT);
            assertThat(Manifests.named(prod, Service.class, service.name())
                            .getSpec()
                            .getPorts())
                    .extracting(p -> p.getName() + ":" + p.getPort())
                    .containsExactly("http:" + port, "management:" + MANAGEMENT_PORT);
            assertThat(Manifests.named(prod, ConfigMap.class, service.name()).getData())
                    .containsEntry("MANAGEMENT_SERVER_PORT", String.valueOf(MANAGEMENT_PORT));
            if (!service.name().equals("api-gateway")) {
                String key = ServiceCode.environmentForm("aiw3.gateway.downstream." + service.name());
                assertThat(gateway.getData()).containsEntry(key, "http://" + service.name() + ":" + port);
            }
        }
    }

    @Test
    void probesUseTheActuatorGroupsEveryServiceEnables() throws Exception {
        List<HasMetadata> prod = rendered("overlays/prod");

        for (ServiceCode service : ServiceCode.all()) {
            var management = service.applicationYml().path("management");
            assertThat(management.at("/endpoint/health/probes/enabled").asBoolean())
                    .as("%s enables the liveness and readiness groups", service.name())
                    .isTrue();
            assertThat(management.at("/endpoints/web/exposure/include").asText())
                    .contains("health")
                    .contains("prometheus");
            Container container = container(Manifests.named(prod, Deployment.class, service.name()));
            assertThat(List.of(
                            container.getLivenessProbe().getHttpGet().getPort(),
                            container.getStartupProbe().getHttpGet().getPort(),
                            container.getReadinessProbe().getHttpGet().getPort()))
                    .allSatisfy(p -> assertThat(p.getStrVal()).isEqualTo("management"));
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                    .isTrue();
            assertThat(container.getVolumeMounts())
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        }
    }

    /**
     * The monitoring namespace reaches each service's management port and nothing else: a pod there must
     * not be able to call the APIs. Prometheus scrapes that port.
     */
    @Test
    void theMonitoringNamespaceReachesOnlyTheManagementPort() throws Exception {
        for (String overlay : List.of("overlays/prod", "overlays/dev")) {
            List<HasMetadata> resources = rendered(overlay);
            List<String> fromMonitoring = new ArrayList<>();
            for (NetworkPolicy policy : Manifests.ofKind(resources, NetworkPolicy.class)) {
                for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                    boolean monitoring = rule.getFrom() == null
                            || rule.getFrom().isEmpty()
                            || rule.getFrom().stream()
                                    .anyMatch(peer -> peer.getNamespaceSelector() != null
                                            && "monitoring"
                                                    .equals(peer.getNamespaceSelector()
                                                            .getMatchLabels()
                                                            .get("kubernetes.io/metadata.name")));
                    if (!monitoring) {
                        continue;
                    }
                    assertThat(rule.getPorts())
                            .as(
                                    "%s: a rule open to the monitoring namespace names its ports",
                                    policy.getMetadata().getName())
                            .isNotEmpty();
                    rule.getPorts()
                            .forEach(p -> fromMonitoring.add(
                                    p.getPort().getStrVal() != null
                                            ? p.getPort().getStrVal()
                                            : String.valueOf(p.getPort().getIntVal())));
                }
            }
            assertThat(fromMonitoring).as(overlay).isNotEmpty().containsOnly("management");
            for (ServiceMonitor monitor : Manifests.ofKind(resources, ServiceMonitor.class)) {
                assertThat(monitor.getSpec().getEndpoints())
                        .allSatisfy(e -> assertThat(e.getPort()).isEqualTo("management"));
            }
        }
    }

    @Test
    void everyEnvironmentVariableIsOneTheServiceReads() throws Exception {
        List<List<HasMetadata>> overlays = List.of(rendered("overlays/prod"), rendered("overlays/dev"));
        for (ServiceCode service : ServiceCode.all()) {
            Assumptions.assumeTrue(Files.exists(service.jar()), service.jar() + " is not built (run the verify phase)");
            Set<String> known = service.environmentVariables();
            for (List<HasMetadata> resources : overlays) {
                Container container = container(Manifests.named(resources, Deployment.class, service.name()));
                List<String> names = new ArrayList<>();
                container.getEnv().stream().map(EnvVar::getName).forEach(names::add);
                container
                        .getEnvFrom()
                        .forEach(from -> names.addAll(Manifests.named(
                                        resources,
                                        ConfigMap.class,
                                        from.getConfigMapRef().getName())
                                .getData()
                                .keySet()));

                assertThat(names)
                        .as("%s: variables it would ignore", service.name())
                        .isNotEmpty()
                        .allSatisfy(name -> assertThat(ServiceCode.reads(known, name))
                                .as("%s reads %s", service.name(), name)
                                .isTrue());
            }
        }
    }

    @Test
    void servicesReachTheKafkaClusterTheManifestsCreate() throws Exception {
        List<HasMetadata> prod = rendered("overlays/prod");
        Kafka kafka = Manifests.ofKind(prod, Kafka.class).getFirst();
        int tls = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> l.isTls())
                .findFirst()
                .orElseThrow()
                .getPort();
        String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:" + tls;

        for (String name : ServiceCode.NAMES) {
            if (name.equals("api-gateway")) {
                continue;
            }
            Deployment deployment = Manifests.named(prod, Deployment.class, name);
            assertThat(Manifests.named(prod, ConfigMap.class, name).getData())
                    .containsEntry("SPRING_KAFKA_BOOTSTRAPSERVERS", bootstrap)
                    .containsEntry("AIW3_MESSAGING_TOPICS_CREATE", "false");
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsEntry("aiw3.io/kafka-client", "true");
        }
    }

    @Test
    void alertsAndDashboardsQueryMetersTheServicesRegister() throws IOException {
        Set<String> meters = ServiceCode.meterNames();
        Pattern metric = Pattern.compile("\\baiw3_[a-z_]+");
        Set<String> referenced = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Manifests.K8S.resolve("base/monitoring"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher m = metric.matcher(Files.readString(file));
                while (m.find()) {
                    referenced.add(m.group()
                            .replaceAll("_(total|seconds_bucket|seconds_count|seconds_sum|bucket|count|sum|max)$", ""));
                }
            }
        }

        assertThat(referenced).hasSizeGreaterThan(10);
        assertThat(meters).containsAll(referenced);
    }

    @Test
    void everyAlertHasARunbookSection() throws IOException {
        String runbook = Files.readString(Manifests.REPO.resolve("docs/runbook.md"));
        Matcher alert = Pattern.compile("- alert: (\\w+)")
                .matcher(Files.readString(Manifests.K8S.resolve("base/monitoring/alerts.yaml")));
        List<String> alerts = new ArrayList<>();
        while (alert.find()) {
            alerts.add(alert.group(1));
        }
        assertThat(alerts).contains("TierArtworkNotOnIpfs", "MintFailedCritical");
        assertThat(alerts).allSatisfy(name -> assertThat(runbook).contains("### " + name + "\n"));
    }

    @Test
    void noSecretValueIsInTheRepositoryAndEverySecretReferencedIsDocumented() throws Exception {
        String runbook = Files.readString(Manifests.REPO.resolve("deploy/README.md"));
        Set<String> secrets = new TreeSet<>();
        for (String overlay : List.of("overlays/prod", "overlays/dev")) {
            for (HasMetadata resource : rendered(overlay)) {
                String yaml = resource.toString();
                Matcher ref = Pattern.compile("(?:secretName|SecretKeySelector\\(key=[^,]+, name)=([a-z0-9-]+)")
                        .matcher(yaml);
                while (ref.find()) {
                    secrets.add(ref.group(1));
                }
            }
        }
        try (Stream<Path> files = Files.walk(Manifests.K8S)) {
            assertThat(files.filter(p -> p.toString().endsWith(".yaml")).toList())
                    .allSatisfy(p -> assertThat(Files.readString(p)).doesNotContain("kind: Secret"));
        }

        assertThat(secrets)
                .contains(
                        "upgrade-service-solana",
                        "upgrade-service-db",
                        "notification-service-fcm",
                        "aiw3-identity-signing-key",
                        "aiw3-identity-verification-keys");
        assertThat(secrets).allSatisfy(name -> assertThat(runbook).contains(name));
    }

    /** MANAGEMENT_SERVER_PORT of every service: actuator's own port. */
    private static final int MANAGEMENT_PORT = 9090;

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }
}
