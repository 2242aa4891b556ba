package com.aiw3.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aiw3.events.catalog.EventCatalog;
import com.aiw3.events.catalog.EventType;
import com.aiw3.events.topic.Topic;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.ClaimStatus;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.events.upgrade.UpgradeStatus;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicRegistryTest {

    @Test
    void topicNamesAreUniqueKebabCaseWithADeadLetterTopicEach() {
        assertThat(Topics.all()).extracting(Topic::name).doesNotHaveDuplicates();
        assertThat(Topics.allNamesWithDeadLetters())
                .hasSize(Topics.all().size() * 2)
                .allMatch(name -> name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*"));
        assertThatThrownBy(() -> new Topic("Bad_Name", UpgradeEvent.class, 1, Duration.ofDays(1), "k", "d"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTopicCarriesAtLeastOneEventTypeAndEveryTypeIsAnImmutableRecord() {
        for (Topic topic : Topics.all()) {
            assertThat(EventCatalog.DEFAULT.typesOn(topic)).as(topic.name()).isNotEmpty();
        }
        assertThat(EventCatalog.DEFAULT.types()).allSatisfy(type -> {
            assertThat(type.payloadClass().isRecord()).isTrue();
            assertThat(Modifier.isFinal(type.payloadClass().getModifiers())).isTrue();
            assertThat(type.summary()).isNotBlank();
        });
    }

    @Test
    void onlyCatalogueTypesWithAClientTypeReachClients() {
        assertThat(EventCatalog.reachesClients(new UpgradeEvent.BurnFailed(java.util.UUID.randomUUID(), "u", "r")))
                .isTrue();
        assertThat(EventCatalog.reachesClients(new com.aiw3.events.presence.PresenceEvent.UserWentOffline(
                        "u", "sse-1", java.time.Instant.now())))
                .isFalse();
        assertThat(EventCatalog.reachesClients(new UnknownEvent("u", "{}"))).isFalse();
    }

    @Test
    void eventsDependOnNeitherSpringNorJpa() {
        for (EventType<?> type : EventCatalog.DEFAULT.types()) {
            assertThat(Arrays.stream(type.payloadClass().getAnnotations())
                            .map(a -> a.annotationType().getPackageName()))
                    .noneMatch(pkg -> pkg.startsWith("org.springframework") || pkg.startsWith("jakarta.persistence"));
        }
    }

    @Test
    void everyUpgradeAndClaimStatusIsReachedByExactlyOneEventType() {
        var samples = EventCatalog.DEFAULT.typesOn(Topics.NFT_UPGRADE_EVENTS).stream()
                .map(type -> SampleEvents.sample(type.payloadClass()))
                .toList();
        Set<UpgradeStatus> upgrades = samples.stream()
                .filter(UpgradeEvent.class::isInstance)
                .map(e -> ((UpgradeEvent) e).status())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(UpgradeStatus.class)));
        Set<ClaimStatus> claims = samples.stream()
                .filter(ClaimEvent.class::isInstance)
                .map(e -> ((ClaimEvent) e).status())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ClaimStatus.class)));

        assertThat(upgrades).containsExactlyInAnyOrder(UpgradeStatus.values());
        assertThat(claims).containsExactlyInAnyOrder(ClaimStatus.values());
        assertThat(samples).hasSize(UpgradeStatus.values().length + ClaimStatus.values().length);
    }

    @Test
    void aClaimsProgressRisesFromZeroToOneHundred() {
        assertThat(Arrays.stream(ClaimStatus.values())
                        .filter(s -> !s.terminal() || s == ClaimStatus.COMPLETED)
                        .map(s -> s.wireName() + "=" + s.progress()))
                .containsExactly(
                        "initializing=0",
                        "qualification_verified=10",
                        "uploading_metadata=30",
                        "metadata_uploaded=50",
                        "minting_nft=70",
                        "mint_confirmed=90",
                        "completed=100");
    }

    @Test
    void progressRisesFromZeroToOneHundredInTheFrontendContractsOrder() {
        assertThat(Arrays.stream(UpgradeStatus.values())
                        .filter(s -> !s.terminal() || s == UpgradeStatus.COMPLETED)
                        .map(s -> s.wireName() + "=" + s.progress()))
                .containsExactly(
                        "initializing=0",
                        "qualification_verified=10",
                        "awaiting_burn=20",
                        "burn_verified=40",
                        "uploading_metadata=60",
                        "metadata_uploaded=70",
                        "minting_new_nft=80",
                        "updating_records=90",
                        "completed=100");
    }
}
