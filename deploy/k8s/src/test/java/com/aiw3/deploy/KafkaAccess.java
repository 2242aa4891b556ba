package com.aiw3.deploy;

import com.aiw3.events.topic.Topic;
import com.aiw3.events.topic.Topics;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Who may do what on Kafka: the one table the KafkaUsers (base/kafka/users.yaml) are generated from and
 * the security checks compare with the services' code. One row per topic of common-events' registry:
 * who produces it (services of the suite, or producers outside the suite with the reason) and who consumes
 * it (a service with its consumer group, or without one for manual assignment). A new topic is one line
 * of {@link #TABLE} (a new consumer group one constant more), then {@code users.yaml} is regenerated.
 *
 * <p>What follows from a row: a producer gets Write on the topic; a consumer Read on the topic and, with
 * a group, Read on the group and Write on the topic's dead-letter topic (the shared error handler sends
 * what can never be processed there). Everyone gets Describe on what they touch. Nothing else: no
 * wildcard, no prefix on a topic, no cluster operation.
 */
final class KafkaAccess {

    static final String UPGRADE = "upgrade-service";
    static final String SSE = "sse-gateway";
    static final String NOTIFICATION = "notification-service";
    static final String ANALYTICS = "analytics-service";
    static final String AUDIT = "audit-service";
    static final String GATEWAY = "api-gateway";

    /**
     * The services that talk to Kafka, each with its own KafkaUser of that name (api-gateway only publishes
     * sign-outs).
     */
    static final List<String> SERVICES = List.of(UPGRADE, SSE, NOTIFICATION, ANALYTICS, AUDIT, GATEWAY);

    /** Dead-letter replay and consumer-group inspection by operators (docs/runbook.md). */
    static final String OPERATIONS = "aiw3-operations";

    /** The consumer groups of {@code DeadLetterReplay}: {@code aiw3-dlt-replay} and {@code aiw3-dlt-replay-<group>}. */
    static final String REPLAY_GROUP_PREFIX = "aiw3-dlt-replay";

    // The consumers of the suite: a service with its consumer group (a @KafkaListener id), or none.
    static final Consumer SSE_FEED = reads(SSE);
    static final Consumer NOTIFICATION_INTAKE = group(NOTIFICATION, "notification-intake");
    static final Consumer NOTIFICATION_PRESENCE = group(NOTIFICATION, "notification-presence");
    static final Consumer ANALYTICS_PROJECTOR = group(ANALYTICS, "analytics-projector");
    static final Consumer AUDIT_INTAKE = group(AUDIT, "audit-intake");
    static final Consumer UPGRADE_TRADE_INTAKE = group(UPGRADE, "upgrade-trade-intake");

    // One row per topic of the registry, one line each: topic, producers, consumers.
    // spotless:off
    static final List<Row> TABLE = List.of(
            row(Topics.NFT_UPGRADE_EVENTS, produced(UPGRADE), SSE_FEED, NOTIFICATION_INTAKE, ANALYTICS_PROJECTOR, AUDIT_INTAKE),
            row(Topics.REALTIME_USER_EVENTS, produced(UPGRADE, NOTIFICATION).andOutside("trading and social systems publish their users' events"), SSE_FEED, NOTIFICATION_INTAKE, ANALYTICS_PROJECTOR, AUDIT_INTAKE),
            row(Topics.REALTIME_BROADCASTS, produced(NOTIFICATION).andOutside("other systems may announce to every online user too"), SSE_FEED, AUDIT_INTAKE),
            row(Topics.NOTIFICATION_REQUESTS, outside("systems outside the suite ask for notifications; no service of the suite does"), NOTIFICATION_INTAKE, AUDIT_INTAKE),
            row(Topics.NOTIFICATION_OUTCOMES, produced(NOTIFICATION), ANALYTICS_PROJECTOR, AUDIT_INTAKE),
            row(Topics.USER_PRESENCE, produced(SSE), NOTIFICATION_PRESENCE, ANALYTICS_PROJECTOR, AUDIT_INTAKE),
            row(Topics.REALTIME_DELIVERY_OUTCOMES, produced(SSE), NOTIFICATION_PRESENCE, ANALYTICS_PROJECTOR, AUDIT_INTAKE),
            row(Topics.SSE_GATEWAY_INSTANCES, produced(SSE), NOTIFICATION_PRESENCE, AUDIT_INTAKE),
            row(Topics.TRADING_ACTIVITY, outside("trades come from the trading platform outside the suite"), UPGRADE_TRADE_INTAKE, AUDIT_INTAKE),
            row(Topics.SESSION_REVOCATIONS, produced(GATEWAY), SSE_FEED, AUDIT_INTAKE));
    // spotless:on

    /**
     * Who writes a topic.
     *
     * @param services the suite's services that publish to it
     * @param outside  why producers outside the suite write it too (they get their own KafkaUser from
     *                 whoever connects them, with Write on this topic only); empty when only the suite does
     */
    record Producers(Set<String> services, Optional<String> outside) {
        Producers andOutside(String reason) {
            return new Producers(services, Optional.of(reason));
        }
    }

    /** A consumer of a topic: a service, and its consumer group, or none for manual partition assignment. */
    record Consumer(String service, Optional<String> group) {}

    record Row(Topic topic, Producers producers, List<Consumer> consumers) {}

    private KafkaAccess() {}

    private static Row row(Topic topic, Producers producers, Consumer... consumers) {
        return new Row(topic, producers, List.of(consumers));
    }

    private static Producers produced(String... services) {
        return new Producers(Set.of(services), Optional.empty());
    }

    private static Producers outside(String reason) {
        return new Producers(Set.of(), Optional.of(reason));
    }

    private static Consumer group(String service, String group) {
        return new Consumer(service, Optional.of(group));
    }

    private static Consumer reads(String service) {
        return new Consumer(service, Optional.empty());
    }

    /** Topic names a service publishes to. */
    static Set<String> produces(String service) {
        return names(TABLE.stream().filter(r -> r.producers().services().contains(service)));
    }

    /** Topic names a service reads. */
    static Set<String> consumes(String service) {
        return names(TABLE.stream()
                .filter(r -> r.consumers().stream().anyMatch(c -> c.service().equals(service))));
    }

    /** The consumer groups of a service. */
    static Set<String> groups(String service) {
        return TABLE.stream()
                .flatMap(r -> r.consumers().stream())
                .filter(c -> c.service().equals(service))
                .flatMap(c -> c.group().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The topic names a consumer group of a service reads. */
    static Set<String> topicsOfGroup(String service, String group) {
        return names(TABLE.stream().filter(r -> r.consumers().contains(new Consumer(service, Optional.of(group)))));
    }

    /** Topic names a service reads without a consumer group. */
    static Set<String> readsWithoutGroup(String service) {
        return names(TABLE.stream().filter(r -> r.consumers().contains(new Consumer(service, Optional.empty()))));
    }

    /** The dead-letter topics a service writes: those of every topic it consumes in a group. */
    static Set<String> deadLetters(String service) {
        return TABLE.stream()
                .filter(r -> r.consumers().stream()
                        .anyMatch(c -> c.service().equals(service) && c.group().isPresent()))
                .map(r -> r.topic().deadLetterName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every consumer group of the suite's services. */
    static Set<String> allGroups() {
        return SERVICES.stream().flatMap(s -> groups(s).stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> registryTopics() {
        return names(TABLE.stream());
    }

    private static Set<String> names(Stream<Row> rows) {
        return rows.map(r -> r.topic().name()).collect(Collectors.toCollection(TreeSet::new));
    }
}
