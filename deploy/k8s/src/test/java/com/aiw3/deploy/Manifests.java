package com.aiw3.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads manifests into the Kubernetes (fabric8), Strimzi and Prometheus Operator models. Strict: a
 * kind without a model, a value of the wrong type, or a field the model does not know fails. The
 * models keep unknown fields in {@code additionalProperties} rather than rejecting them, so every
 * object is walked for those.
 */
final class Manifests {

    static final Path K8S = locate();
    static final Path REPO = K8S.getParent().getParent();

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    private Manifests() {}

    private static Path locate() {
        Path here = Path.of("").toAbsolutePath();
        // Maven runs the tests in the module folder; an IDE may run them from the repository root.
        return Files.isDirectory(here.resolve("base")) ? here : here.resolve("deploy/k8s");
    }

    /** Every document of a multi-document YAML text, each read into its model. */
    static List<HasMetadata> parse(String yaml, String origin) throws IOException {
        List<HasMetadata> resources = new ArrayList<>();
        for (JsonNode document :
                YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (document == null || document.isNull() || document.isEmpty()) {
                continue;
            }
            String key = document.path("apiVersion").asText() + "/"
                    + document.path("kind").asText();
            Class<? extends HasMetadata> model = MODELS.get(key);
            if (model == null) {
                throw new AssertionError(origin + ": no model for " + key + " (add it to Manifests.MODELS)");
            }
            HasMetadata resource;
            try {
                resource = JSON.treeToValue(document, model);
            } catch (IOException e) {
                throw new AssertionError(origin + ": " + key + " does not fit its model: " + e.getMessage(), e);
            }
            List<String> unknown = new ArrayList<>();
            unknownFields(resource, key + " " + resource.getMetadata().getName(), unknown);
            if (!unknown.isEmpty()) {
                throw new AssertionError(origin + ": fields the model does not know: " + unknown);
            }
            resources.add(resource);
        }
        return resources;
    }

    static List<HasMetadata> parse(Path file) throws IOException {
        return parse(Files.readString(file), REPO.relativize(file).toString());
    }

    /** {@code kubectl kustomize DIR}, or empty when kubectl is not installed. */
    static Optional<String> render(Path kustomization) throws IOException, InterruptedException {
        Optional<Path> kubectl = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> List.of(path.split(":")).stream())
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
        if (kubectl.isEmpty()) {
            return Optional.empty();
        }
        Process process = new ProcessBuilder(kubectl.get().toString(), "kustomize", kustomization.toString())
                .redirectErrorStream(false)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + REPO.relativize(kustomization) + " failed: " + err);
        }
        return Optional.of(new String(out, StandardCharsets.UTF_8));
    }

    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> resources, Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> resources, Class<T> kind, String name) {
        return ofKind(resources, kind).stream()
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
    }

    private static void unknownFields(Object value, String path, List<String> unknown) {
        switch (value) {
            case null -> {}
            case Map<?, ?> map -> map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
            case Collection<?> items -> {
                int i = 0;
                for (Object item : items) {
                    unknownFields(item, path + "[" + i++ + "]", unknown);
                }
            }
            default -> {
                String type = value.getClass().getName();
                if (!type.startsWith("io.fabric8.") && !type.startsWith("io.strimzi.")) {
                    return;
                }
                for (Method getter : value.getClass().getMethods()) {
                    if (getter.getParameterCount() != 0
                            || Modifier.isStatic(getter.getModifiers())
                            || getter.getReturnType().isPrimitive()
                            || getter.getReturnType() == String.class
                            || getter.getReturnType().isEnum()
                            || getter.getDeclaringClass() == Object.class
                            || !(getter.getName().startsWith("get"))) {
                        continue;
                    }
                    Object child = invoke(getter, value);
                    if (getter.getName().equals("getAdditionalProperties")) {
                        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                            unknown.add(path + ": " + extra.keySet());
                        }
                    } else {
                        unknownFields(child, path + "." + property(getter), unknown);
                    }
                }
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }

    private static String property(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
