package com.aiw3.events.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a deployment creates the registry's topics and their dead-letter topics: the one rule used by
 * every service at start-up and by the local run.
 */
public final class TopicProvisioning {

    /** One topic to create: name, partitions, replication factor and topic configs. */
    public record TopicSpec(String name, int partitions, short replicas, Map<String, String> configs) {}

    private TopicProvisioning() {}

    /**
     * @param maxPartitions     0 keeps each topic's production partitions; a positive value caps them (a cap,
     *                          never a fixed count: single-partition topics stay single)
     * @param replicationFactor 3 in production, 1 on a single local broker
     */
    public static List<TopicSpec> of(int maxPartitions, short replicationFactor) {
        List<TopicSpec> specs = new ArrayList<>();
        for (Topic topic : Topics.all()) {
            int partitions = maxPartitions > 0 ? Math.min(maxPartitions, topic.partitions()) : topic.partitions();
            specs.add(new TopicSpec(
                    topic.name(),
                    partitions,
                    replicationFactor,
                    Map.of(
                            "retention.ms",
                            Long.toString(topic.retention().toMillis()),
                            "min.insync.replicas",
                            replicationFactor > 1 ? "2" : "1")));
            // Dead letters are kept twice as long as the topic: time for an operator to look before they go.
            specs.add(new TopicSpec(
                    topic.deadLetterName(),
                    Math.min(partitions, 3),
                    replicationFactor,
                    Map.of(
                            "retention.ms",
                            Long.toString(topic.retention().multipliedBy(2).toMillis()))));
        }
        return specs;
    }
}
