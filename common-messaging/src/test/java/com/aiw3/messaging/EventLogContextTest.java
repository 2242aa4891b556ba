package com.aiw3.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.events.upgrade.UpgradeEvent;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class EventLogContextTest {

    @Test
    void anUpgradesEventPutsItsIdsInTheLogContextUntilClosed() {
        UUID upgradeId = UUID.randomUUID();
        EventEnvelope<UpgradeEvent.BurnVerified> event = EventEnvelope.correlated(
                upgradeId, new UpgradeEvent.BurnVerified(upgradeId, "alice", "sig", "mint"), "upgrade-service");

        try (EventLogContext ignored = EventLogContext.of(event)) {
            assertThat(MDC.get("eventId")).isEqualTo(event.eventId().toString());
            assertThat(MDC.get("eventType")).isEqualTo(event.type());
            assertThat(MDC.get("correlationId")).isEqualTo(upgradeId.toString());
            assertThat(MDC.get("upgradeId")).isEqualTo(upgradeId.toString());
        }

        assertThat(MDC.getCopyOfContextMap()).doesNotContainKeys("eventId", "eventType", "correlationId", "upgradeId");
    }

    @Test
    void anEventOfNoUpgradeLeavesNoUpgradeIdOfAnEarlierOne() {
        UUID upgradeId = UUID.randomUUID();
        EventLogContext.of(EventEnvelope.correlated(
                upgradeId, new UpgradeEvent.BurnVerified(upgradeId, "alice", "sig", "mint"), "upgrade-service"));

        EventLogContext.of(
                EventEnvelope.of(new BroadcastEvent.FeatureAnnounced(UUID.randomUUID(), "hello", List.of()), "ops"));

        assertThat(MDC.get("upgradeId")).isNull();
        assertThat(MDC.get("eventType")).isEqualTo("FeatureAnnounced");
        EventLogContext.clear();
    }
}
