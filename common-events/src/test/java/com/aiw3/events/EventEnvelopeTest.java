package com.aiw3.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.events.topic.Topics;
import com.aiw3.events.upgrade.UpgradeEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    @Test
    void userEventsAreKeyedByTheirUserAndRoutedToTheirFamilysTopic() {
        var event = new UpgradeEvent.QualificationVerified(UUID.randomUUID(), "user-7", 3);

        EventEnvelope<?> envelope = EventEnvelope.of(event, "upgrade-service");

        assertThat(envelope.key()).isEqualTo("user-7");
        assertThat(envelope.topic()).isEqualTo(Topics.NFT_UPGRADE_EVENTS);
        assertThat(envelope.type()).isEqualTo("QualificationVerified");
        assertThat(envelope.version()).isEqualTo(1);
        assertThat(envelope.correlationId()).isEqualTo(envelope.eventId());
        assertThat(envelope.causationId()).isNull();
    }

    @Test
    void broadcastsShareOneKeySoTheyStayInOrder() {
        var event = new BroadcastEvent.FeatureAnnounced(UUID.randomUUID(), "New pairs", List.of("BONK/USDT"));
        var other = new BroadcastEvent.MaintenanceScheduled(UUID.randomUUID(), "soon", Instant.now(), Instant.now());

        assertThat(EventEnvelope.of(event, "ops").key())
                .isEqualTo(EventEnvelope.of(other, "ops").key())
                .isEqualTo(BroadcastEvent.KEY);
    }

    @Test
    void aCausedEventKeepsTheFlowsCorrelationAndNamesItsCause() {
        var cause = EventEnvelope.of(new UpgradeEvent.QualificationVerified(UUID.randomUUID(), "u", 2), "a");

        var effect = EventEnvelope.causedBy(cause, new UpgradeEvent.BurnFailed(UUID.randomUUID(), "u", "r"), "b");

        assertThat(effect.correlationId()).isEqualTo(cause.correlationId());
        assertThat(effect.causationId()).isEqualTo(cause.eventId());
    }
}
