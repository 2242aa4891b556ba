package com.aiw3.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.topic.Topic;
import com.aiw3.events.topic.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kafka in deploy/ authenticates every client (TLS + SCRAM-SHA-512, one KafkaUser per service), authorizes
 * every request against ACLs, and gives each service exactly what {@link KafkaAccess} says: the topics it
 * produces and consumes and its consumer groups, checked against the services' code.
 */
class KafkaSecurityTest {

    private static final Path USERS = Manifests.K8S.resolve("base/kafka/users.yaml");
    private static final int TLS_PORT = 9093;

    private static List<HasMetadata> rendered(String overlay) throws Exception {
        var yaml = Manifests.render(Manifests.K8S.resolve(overlay));
        Assumptions.assumeTrue(yaml.isPresent(), "kubectl (with kustomize) is not installed here");
        return Manifests.parse(yaml.get(), overlay);
    }

    private static Kafka kafka(String overlay) throws Exception {
        return Manifests.ofKind(rendered(overlay), Kafka.class).getFirst();
    }

    /** Each ACL of a user as {@code type:name:patternType:Operation}. */
    private static Set<String> grants(KafkaUser user) {
        Set<String> grants = new TreeSet<>();
        for (AclRule rule : ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
            String resource = switch (rule.getResource()) {
                case AclRuleTopicResource t ->
                    "topic:" + t.getName() + ":" + t.getPatternType().toValue();
                case AclRuleGroupResource g ->
                    "group:" + g.getName() + ":" + g.getPatternType().toValue();
                default -> rule.getResource().getType() + ":?";
            };
            rule.getOperations().forEach(op -> grants.add(resource + ":" + op.toValue()));
        }
        return grants;
    }

    private static Map<String, KafkaUser> users() throws IOException {
        Map<String, KafkaUser> users = new HashMap<>();
        Manifests.ofKind(Manifests.parse(USERS), KafkaUser.class)
                .forEach(u -> users.put(u.getMetadata().getName(), u));
        return users;
    }

    private static Set<String> expectedGrants(String service) {
        Set<String> grants = new TreeSet<>();
        KafkaAccess.produces(service).forEach(t -> grants.addAll(topic(t, "Write", "Describe")));
        KafkaAccess.deadLetters(service).forEach(t -> grants.addAll(topic(t, "Write", "Describe")));
        KafkaAccess.consumes(service).forEach(t -> grants.addAll(topic(t, "Read", "Describe")));
        KafkaAccess.groups(service).forEach(g -> grants.add("group:" + g + ":literal:Read"));
        return grants;
    }

    private static List<String> topic(String name, String... operations) {
        return List.of(operations).stream()
                .map(op -> "topic:" + name + ":literal:" + op)
                .toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/prod", "overlays/dev"})
    void theOnlyListenerForClientsIsTlsWithScramSha512OnPort9093(String overlay) throws Exception {
        List<GenericKafkaListener> listeners =
                kafka(overlay).getSpec().getKafka().getListeners();

        assertThat(listeners).hasSize(1);
        GenericKafkaListener listener = listeners.getFirst();
        assertThat(listener.getPort()).isEqualTo(TLS_PORT);
        assertThat(listener.isTls()).as("TLS").isTrue();
        assertThat(listener.getAuth()).isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
    }

    @Test
    void noPlaintextListenerAndTheServicesReachOnlyTheTlsPort() throws Exception {
        List<HasMetadata> prod = rendered("overlays/prod");

        assertThat(Manifests.ofKind(prod, Kafka.class)
                        .getFirst()
                        .getSpec()
                        .getKafka()
                        .getListeners())
                .noneMatch(l -> !l.isTls() || l.getAuth() == null);
        NetworkPolicy clients = Manifests.named(prod, NetworkPolicy.class, "aiw3-kafka-clients");
        assertThat(clients.getSpec().getEgress())
                .flatExtracting(rule -> rule.getPorts())
                .extracting(p -> p.getPort().getIntVal())
                .containsExactly(TLS_PORT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/prod", "overlays/dev"})
    void everyRequestIsAuthorizedAndAResourceWithoutAclIsClosed(String overlay) throws Exception {
        Kafka kafka = kafka(overlay);

        // Strimzi's simple authorization is Kafka's StandardAuthorizer on a KRaft cluster.
        assertThat(kafka.getSpec().getKafka().getAuthorization()).isInstanceOf(KafkaAuthorizationSimple.class);
        assertThat(KafkaAuthorizationSimple.KRAFT_AUTHORIZER_CLASS_NAME)
                .isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        assertThat(String.valueOf(kafka.getSpec().getKafka().getConfig().get("allow.everyone.if.no.acl.found")))
                .isEqualTo("false");
        assertThat(kafka.getSpec().getEntityOperator().getUserOperator())
                .as("the user operator creates the KafkaUsers")
                .isNotNull();
    }

    @Test
    void theSuperUsersAreTheBrokersAndTheClusterOperatorAndNoServiceIsOne() throws Exception {
        var authorization = (KafkaAuthorizationSimple)
                kafka("overlays/prod").getSpec().getKafka().getAuthorization();

        assertThat(authorization.getSuperUsers())
                .containsExactlyInAnyOrder("CN=aiw3-kafka,O=io.strimzi", "CN=cluster-operator,O=io.strimzi");
        assertThat(authorization.getSuperUsers())
                .noneMatch(u -> KafkaUserManifests.userNames().stream().anyMatch(u::contains));
    }

    @Test
    void everyServiceConnectsOverSaslSslWithScramAsItsOwnKafkaUser() throws Exception {
        List<HasMetadata> prod = rendered("overlays/prod");
        Map<String, KafkaUser> users = new HashMap<>();
        Manifests.ofKind(prod, KafkaUser.class)
                .forEach(u -> users.put(u.getMetadata().getName(), u));

        for (String service : KafkaAccess.SERVICES) {
            assertThat(Manifests.named(prod, ConfigMap.class, service).getData())
                    .as(service)
                    .containsEntry("SPRING_KAFKA_BOOTSTRAPSERVERS", "aiw3-kafka-bootstrap:" + TLS_PORT)
                    .containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("SPRING_KAFKA_SSL_TRUSTSTORETYPE", "PEM");
            Map<String, EnvVar> env = Manifests.named(prod, Deployment.class, service)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .getFirst()
                    .getEnv()
                    .stream()
                    .collect(Collectors.toMap(EnvVar::getName, e -> e));
            var jaas = env.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")
                    .getValueFrom()
                    .getSecretKeyRef();
            assertThat(jaas.getName())
                    .as("%s uses its own user's Secret", service)
                    .isEqualTo(service);
            assertThat(jaas.getKey()).isEqualTo("sasl.jaas.config");
            var ca = env.get("SPRING_KAFKA_SSL_TRUSTSTORECERTIFICATES")
                    .getValueFrom()
                    .getSecretKeyRef();
            assertThat(ca.getName() + "/" + ca.getKey()).isEqualTo("aiw3-cluster-ca-cert/ca.crt");
            assertThat(users.get(service)).as("KafkaUser %s", service).isNotNull();
            assertThat(users.get(service).getSpec().getAuthentication())
                    .isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
        }
        assertThat(users.keySet()).containsExactlyInAnyOrderElementsOf(KafkaUserManifests.userNames());
    }

    @Test
    void theKafkaUsersAreExactlyWhatTheAccessTableGenerates() throws IOException {
        String expected = KafkaUserManifests.render();
        if (Boolean.getBoolean("aiw3.deploy.write-users")) {
            Files.writeString(USERS, expected);
        }

        assertThat(USERS)
                .as("%s is generated; regenerate with -Daiw3.deploy.write-users=true", USERS)
                .exists();
        assertThat(Files.readString(USERS))
                .as("%s is generated from KafkaAccess; regenerate with -Daiw3.deploy.write-users=true", USERS)
                .isEqualTo(expected);
    }

    @Test
    void eachServiceMayDoExactlyWhatItsRowsOfTheTableSay() throws IOException {
        Map<String, KafkaUser> users = users();

        for (String service : KafkaAccess.SERVICES) {
            assertThat(users.get(service)).as("KafkaUser %s", service).isNotNull();
            assertThat(grants(users.get(service))).as(service).isEqualTo(expectedGrants(service));
        }
        // Spot checks of the table itself, as the architecture describes the flows.
        assertThat(KafkaAccess.produces(KafkaAccess.UPGRADE))
                .containsExactlyInAnyOrder(Topics.Names.NFT_UPGRADE_EVENTS, Topics.Names.REALTIME_USER_EVENTS);
        assertThat(KafkaAccess.produces(KafkaAccess.ANALYTICS)).isEmpty();
        assertThat(KafkaAccess.produces(KafkaAccess.AUDIT)).isEmpty();
        assertThat(KafkaAccess.consumes(KafkaAccess.AUDIT))
                .containsExactlyInAnyOrderElementsOf(
                        Topics.all().stream().map(Topic::name).toList());
    }

    @Test
    void noUserHasAWildcardAPrefixedTopicOrAnOperationBeyondReadWriteDescribe() throws IOException {
        for (KafkaUser user : users().values()) {
            assertThat(grants(user))
                    .as(user.getMetadata().getName())
                    .isNotEmpty()
                    .allSatisfy(grant -> {
                        String[] part = grant.split(":");
                        assertThat(part[0]).isIn("topic", "group");
                        assertThat(part[1]).doesNotContain("*");
                        assertThat(part[3]).isIn("Read", "Write", "Describe");
                        if (part[0].equals("topic")) {
                            assertThat(part[2]).as(grant).isEqualTo("literal");
                        }
                    });
        }
    }

    @Test
    void aServiceWritesOnlyWhatItProducesAndTheDeadLettersOfWhatItConsumesInAGroup() throws IOException {
        Map<String, KafkaUser> users = users();

        for (String service : KafkaAccess.SERVICES) {
            Set<String> written = grants(users.get(service)).stream()
                    .filter(g -> g.startsWith("topic:") && g.endsWith(":Write"))
                    .map(g -> g.split(":")[1])
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> allowed = new TreeSet<>(KafkaAccess.produces(service));
            allowed.addAll(KafkaAccess.deadLetters(service));
            assertThat(written).as(service).isEqualTo(allowed);
            Set<String> registryTopicsWritten = new TreeSet<>(written);
            registryTopicsWritten.retainAll(KafkaAccess.registryTopics());
            assertThat(registryTopicsWritten).as(service).isEqualTo(KafkaAccess.produces(service));
        }
        // sse-gateway reads without a group: it never dead-letters, so it writes no dead-letter topic.
        assertThat(KafkaAccess.deadLetters(KafkaAccess.SSE)).isEmpty();
    }

    @Test
    void everyRegistryTopicHasOneRowWithAProducerAndAConsumer() {
        List<String> rows =
                KafkaAccess.TABLE.stream().map(r -> r.topic().name()).toList();

        assertThat(rows)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(
                        Topics.all().stream().map(Topic::name).toList());
        for (KafkaAccess.Row row : KafkaAccess.TABLE) {
            assertThat(!row.producers().services().isEmpty()
                            || row.producers().outside().isPresent())
                    .as("%s has a producer", row.topic().name())
                    .isTrue();
            row.producers().outside().ifPresent(reason -> assertThat(reason).isNotBlank());
            assertThat(row.consumers())
                    .as("%s has a consumer", row.topic().name())
                    .isNotEmpty();
            assertThat(KafkaAccess.SERVICES)
                    .containsAll(row.producers().services())
                    .containsAll(row.consumers().stream()
                            .map(KafkaAccess.Consumer::service)
                            .toList());
        }
    }

    @Test
    void theConsumerGroupsAndTheirTopicsAreTheServicesListeners() throws IOException {
        for (String service : KafkaAccess.SERVICES) {
            ServiceCode code = new ServiceCode(service, Manifests.REPO.resolve(service));
            Map<String, Set<String>> expected = new HashMap<>();
            KafkaAccess.groups(service).forEach(g -> expected.put(g, KafkaAccess.topicsOfGroup(service, g)));

            assertThat(code.listenerGroups()).as(service).isEqualTo(expected);
            assertThat(code.topicsReadWithoutGroup()).as(service).isEqualTo(KafkaAccess.readsWithoutGroup(service));
        }
        assertThat(KafkaAccess.allGroups())
                .contains("notification-intake", "notification-presence", "analytics-projector", "audit-intake");
        assertThat(KafkaAccess.groups(KafkaAccess.SSE)).isEmpty();
    }

    @Test
    void theOperationsUserReplaysDeadLettersAndDescribesGroupsButMayNotMoveTheirOffsets() throws IOException {
        KafkaUser operations = users().get(KafkaAccess.OPERATIONS);
        assertThat(operations).isNotNull();
        assertThat(operations.getSpec().getAuthentication())
                .isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);

        Set<String> expected = new TreeSet<>();
        for (Topic topic : Topics.all()) {
            expected.addAll(topic(topic.deadLetterName(), "Read", "Describe"));
            expected.addAll(topic(topic.name(), "Write", "Describe"));
        }
        expected.add("group:" + KafkaAccess.REPLAY_GROUP_PREFIX + ":prefix:Read");
        expected.add("group:" + KafkaAccess.REPLAY_GROUP_PREFIX + ":prefix:Describe");
        KafkaAccess.allGroups().forEach(g -> expected.add("group:" + g + ":literal:Describe"));
        assertThat(grants(operations)).isEqualTo(expected);
        assertThat(grants(operations))
                .noneMatch(g -> g.startsWith("topic:") && !g.split(":")[1].endsWith("-dlt") && g.endsWith(":Read"));
    }

    @Test
    void theKafkaSecretsAndTheOperationsClientAreDocumented() throws IOException {
        String deploy = Files.readString(Manifests.REPO.resolve("deploy/README.md"));
        String runbook = Files.readString(Manifests.REPO.resolve("docs/runbook.md"));

        assertThat(deploy).contains("aiw3-cluster-ca-cert", "sasl.jaas.config", KafkaAccess.OPERATIONS);
        assertThat(runbook)
                .contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", KafkaAccess.OPERATIONS)
                .doesNotContain("--bootstrap-server localhost:9092");
        List<String> missing = new ArrayList<>();
        for (String service : KafkaAccess.SERVICES) {
            if (!deploy.contains("`" + service + "` (KafkaUser)")) {
                missing.add(service);
            }
        }
        assertThat(missing)
                .as("KafkaUser Secrets not in deploy/README.md's table")
                .isEmpty();
    }
}
