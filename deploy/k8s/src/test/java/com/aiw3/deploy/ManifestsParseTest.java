package com.aiw3.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestsParseTest {

    /** Kustomize's own files and JSON patches are not Kubernetes resources. */
    private static final Set<String> NOT_RESOURCES = Set.of("kustomization.yaml", "workload-defaults.yaml");

    static Stream<Path> manifestFiles() throws IOException {
        return Files.walk(Manifests.K8S)
                .filter(p -> p.toString().endsWith(".yaml"))
                .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/src/"))
                .filter(p -> !NOT_RESOURCES.contains(p.getFileName().toString()))
                .sorted();
    }

    @ParameterizedTest
    @MethodSource("manifestFiles")
    void everyManifestFitsTheKubernetesStrimziOrPrometheusModel(Path file) throws IOException {
        List<HasMetadata> resources = Manifests.parse(file);

        assertThat(resources).as(file.toString()).isNotEmpty();
        assertThat(resources)
                .allSatisfy(r -> assertThat(r.getMetadata().getName()).isNotBlank());
    }

    @Test
    void aFieldTheModelDoesNotKnowIsRefused() {
        String typo = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  replicas: 1
                  template:
                    spec:
                      containers:
                        - name: x
                          image: x
                          readinesProbe:
                            httpGet:
                              path: /actuator/health/readiness
                              port: http
                """;

        assertThatThrownBy(() -> Manifests.parse(typo, "typo")).hasMessageContaining("readinesProbe");
    }

    @Test
    void aValueOfTheWrongTypeOrAnUnknownKindIsRefused() {
        String wrongType = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: t
                spec:
                  partitions: many
                """;
        String unknownKind = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: s
                """;

        assertThatThrownBy(() -> Manifests.parse(wrongType, "wrong type")).hasMessageContaining("KafkaTopic");
        assertThatThrownBy(() -> Manifests.parse(unknownKind, "secret")).hasMessageContaining("no model for v1/Secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/prod"})
    void eachOverlayRendersIntoValidResourcesOfOneNamespace(String overlay) throws Exception {
        var rendered = Manifests.render(Manifests.K8S.resolve(overlay));
        Assumptions.assumeTrue(rendered.isPresent(), "kubectl (with kustomize) is not installed here");

        List<HasMetadata> resources = Manifests.parse(rendered.get(), overlay);

        String namespace = overlay.endsWith("dev") ? "aiw3-dev" : "aiw3";
        assertThat(resources)
                .allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo(namespace));
        assertThat(Manifests.ofKind(resources, Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsAll(ServiceCode.NAMES);
    }
}
