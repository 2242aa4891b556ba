package com.aiw3.deploy;

import com.aiw3.events.topic.Topic;
import com.aiw3.events.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The KafkaUser resources of base/kafka/users.yaml, written from {@link KafkaAccess}: one SCRAM-SHA-512
 * user per service with exactly the ACLs its table rows give it, and {@value KafkaAccess#OPERATIONS} for
 * dead-letter replay and consumer-group inspection. Strimzi's user operator creates each user's Secret
 * (same name; keys {@code password} and {@code sasl.jaas.config}); no credential is in the repository.
 */
final class KafkaUserManifests {

    /** An ACL rule as written: resource type, name, pattern type and operations. */
    record Rule(String type, String name, String patternType, List<String> operations) {}

    private KafkaUserManifests() {}

    static List<Rule> rules(String service) {
        List<Rule> rules = new ArrayList<>();
        KafkaAccess.produces(service).forEach(t -> rules.add(topic(t, "Write", "Describe")));
        KafkaAccess.deadLetters(service).forEach(t -> rules.add(topic(t, "Write", "Describe")));
        KafkaAccess.consumes(service).forEach(t -> rules.add(topic(t, "Read", "Describe")));
        KafkaAccess.groups(service).forEach(g -> rules.add(new Rule("group", g, "literal", List.of("Read"))));
        return rules;
    }

    /**
     * {@code DeadLetterReplay} reads a dead-letter topic in its own groups and writes the records back to
     * the topic they came from; consumer-group inspection needs Describe on the groups and their topics.
     * No Read on a service's group: resetting a service's offsets is not this user's to do.
     */
    static List<Rule> operationsRules() {
        List<Rule> rules = new ArrayList<>();
        for (Topic topic : Topics.all()) {
            rules.add(topic(topic.deadLetterName(), "Read", "Describe"));
            rules.add(topic(topic.name(), "Write", "Describe"));
        }
        rules.add(new Rule("group", KafkaAccess.REPLAY_GROUP_PREFIX, "prefix", List.of("Read", "Describe")));
        KafkaAccess.allGroups().forEach(g -> rules.add(new Rule("group", g, "literal", List.of("Describe"))));
        return rules;
    }

    private static Rule topic(String name, String... operations) {
        return new Rule("topic", name, "literal", List.of(operations));
    }

    static String render() {
        StringBuilder out = new StringBuilder();
        out.append(
                        "# Generated from KafkaAccess (deploy/k8s tests), the table of who produces and consumes each topic\n")
                .append("# of common-events' registry: do not edit.\n")
                .append("# Regenerate: ./mvnw -pl deploy/k8s -am verify -Daiw3.deploy.write-users=true\n");
        for (String service : KafkaAccess.SERVICES) {
            user(out, service, "the " + service + " Deployment", rules(service));
        }
        user(
                out,
                KafkaAccess.OPERATIONS,
                "operators: dead-letter replay and consumer-group inspection",
                operationsRules());
        return out.toString();
    }

    private static void user(StringBuilder out, String name, String usedBy, List<Rule> rules) {
        out.append("---\n")
                .append("# Used by ")
                .append(usedBy)
                .append(".\n")
                .append("apiVersion: kafka.strimzi.io/v1\n")
                .append("kind: KafkaUser\n")
                .append("metadata:\n")
                .append("  name: ")
                .append(name)
                .append('\n')
                .append("  labels:\n")
                .append("    strimzi.io/cluster: aiw3\n")
                .append("spec:\n")
                .append("  authentication:\n")
                .append("    type: scram-sha-512\n")
                .append("  authorization:\n")
                .append("    type: simple\n")
                .append("    acls:\n");
        for (Rule rule : rules) {
            out.append("      - resource:\n")
                    .append("          type: ")
                    .append(rule.type())
                    .append('\n')
                    .append("          name: ")
                    .append(rule.name())
                    .append('\n')
                    .append("          patternType: ")
                    .append(rule.patternType())
                    .append('\n')
                    .append("        operations: [")
                    .append(String.join(", ", rule.operations()))
                    .append("]\n");
        }
    }

    static Set<String> userNames() {
        Set<String> names = new java.util.TreeSet<>(KafkaAccess.SERVICES);
        names.add(KafkaAccess.OPERATIONS);
        return names;
    }
}
