package com.aiw3.deploy;

import com.aiw3.events.topic.TopicProvisioning;
import java.util.TreeMap;

/**
 * The KafkaTopic resources of an overlay, written from common-events' {@link TopicProvisioning}: the
 * same rule the services and the local run use, so the cluster's topics cannot differ from theirs.
 */
final class KafkaTopicManifests {

    private KafkaTopicManifests() {}

    static String render(int maxPartitions, short replicationFactor) {
        StringBuilder out = new StringBuilder();
        out.append("# Generated from common-events (TopicProvisioning.of(")
                .append(maxPartitions)
                .append(", ")
                .append(replicationFactor)
                .append(")): do not edit.\n")
                .append("# Regenerate: ./mvnw -pl deploy/k8s -am verify -Daiw3.deploy.write-topics=true\n");
        for (TopicProvisioning.TopicSpec spec : TopicProvisioning.of(maxPartitions, replicationFactor)) {
            out.append("---\n")
                    .append("apiVersion: kafka.strimzi.io/v1\n")
                    .append("kind: KafkaTopic\n")
                    .append("metadata:\n")
                    .append("  name: ")
                    .append(spec.name())
                    .append('\n')
                    .append("  labels:\n")
                    .append("    strimzi.io/cluster: aiw3\n")
                    .append("spec:\n")
                    .append("  partitions: ")
                    .append(spec.partitions())
                    .append('\n')
                    .append("  replicas: ")
                    .append(spec.replicas())
                    .append('\n')
                    .append("  config:\n");
            new TreeMap<>(spec.configs())
                    .forEach((key, value) -> out.append("    ")
                            .append(key)
                            .append(": \"")
                            .append(value)
                            .append("\"\n"));
        }
        return out.toString();
    }
}
