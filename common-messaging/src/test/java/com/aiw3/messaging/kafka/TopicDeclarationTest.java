package com.aiw3.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.topic.Topics;
import com.aiw3.messaging.MessagingProperties;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicDeclarationTest {

    private static Map<String, NewTopic> declared(int maxPartitions, short replication) {
        var properties = new MessagingProperties(
                "test",
                new MessagingProperties.Topics(true, replication, maxPartitions),
                new MessagingProperties.Consumer(
                        Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), Duration.ofMillis(100)),
                new MessagingProperties.Outbox(500, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofDays(7)));
        return KafkaConventionsAutoConfiguration.declaredTopics(properties).stream()
                .collect(Collectors.toMap(NewTopic::name, t -> t));
    }

    @Test
    void everyRegistryTopicAndItsDeadLetterTopicIsDeclared() {
        assertThat(declared(0, (short) 3).keySet())
                .containsExactlyInAnyOrderElementsOf(Topics.allNamesWithDeadLetters());
    }

    @Test
    void aLocalPartitionCapNeverWidensTheSinglePartitionBroadcastTopic() {
        Map<String, NewTopic> local = declared(3, (short) 1);

        assertThat(local.get(Topics.REALTIME_BROADCASTS.name()).numPartitions()).isEqualTo(1);
        assertThat(local.get(Topics.NFT_UPGRADE_EVENTS.name()).numPartitions()).isEqualTo(3);
    }

    @Test
    void productionKeepsTheRegistrysPartitionsRetentionAndDurability() {
        NewTopic upgrades = declared(0, (short) 3).get(Topics.NFT_UPGRADE_EVENTS.name());

        assertThat(upgrades.numPartitions()).isEqualTo(Topics.NFT_UPGRADE_EVENTS.partitions());
        assertThat(upgrades.replicationFactor()).isEqualTo((short) 3);
        assertThat(upgrades.configs())
                .containsEntry(
                        "retention.ms",
                        Long.toString(Topics.NFT_UPGRADE_EVENTS.retention().toMillis()))
                .containsEntry("min.insync.replicas", "2");
    }
}
