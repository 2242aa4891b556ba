package com.aiw3.sse.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.EventIds;
import com.aiw3.events.EventPayload;
import com.aiw3.events.realtime.UserEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HistoryTest {

    @Test
    void anEventPublishedAgainReachesTheUsersStreamsOnceAndIsKeptOnce() {
        History history = new History(Duration.ofMinutes(10), 1000);
        List<EventEnvelope<EventPayload>> received = new ArrayList<>();
        history.subscribeFromNow("alice", received::add, start -> {});
        EventEnvelope<EventPayload> first = event("alice", "SOL crossed 180");
        EventEnvelope<EventPayload> second = event("alice", "SOL crossed 190");

        history.append(first);
        history.append(second);
        // The same event again, as an outbox relay resends it after a broker restart: a new Kafka record.
        int delivered = history.append(first);

        assertThat(delivered).isZero();
        assertThat(received).extracting(EventEnvelope::eventId).containsExactly(first.eventId(), second.eventId());
        assertThat(history.of("alice"))
                .extracting(EventEnvelope::eventId)
                .containsExactly(first.eventId(), second.eventId());
    }

    @Test
    void aResumeFromAnEventThisInstanceHasNotReadYetIsBehindUntilItArrivesAndThenReplaysOnlyWhatCameAfter() {
        // The instance the stream was on read three events; this one has read the first only.
        History here = new History(Duration.ofMinutes(10), 1000);
        EventEnvelope<EventPayload> first = event("bob", "SOL crossed 180");
        EventEnvelope<EventPayload> second = event("bob", "SOL crossed 190");
        EventEnvelope<EventPayload> third = event("bob", "SOL crossed 200");
        here.append(first);
        History.Cursor received = new History.Cursor(second.eventId(), null);

        assertThat(here.behind("bob", received)).isTrue();
        assertThat(here.behind("carol", new History.Cursor(second.eventId(), null)))
                .as("nothing kept for the user yet")
                .isTrue();

        here.append(second);
        here.append(third);
        assertThat(here.behind("bob", received)).isFalse();
        List<EventEnvelope<EventPayload>> replayed = new ArrayList<>();
        here.subscribe("bob", received, event -> {}, replayed::add);
        assertThat(replayed).extracting(EventEnvelope::eventId).containsExactly(third.eventId());
    }

    @Test
    void aResumeFromAnEventOlderThanEverythingKeptIsNotBehind() {
        History here = new History(Duration.ofMinutes(10), 2);
        here.append(event("dave", "SOL crossed 180"));
        here.append(event("dave", "SOL crossed 190"));

        assertThat(here.behind("dave", new History.Cursor(createdAgo(Duration.ofMinutes(1)), null)))
                .as("older than the kept events (trimmed to the maximum per user), not unread")
                .isFalse();
        assertThat(here.behind("dave", new History.Cursor(createdAgo(Duration.ofMinutes(11)), null)))
                .as("older than the window")
                .isFalse();
        assertThat(here.behind("dave", new History.Cursor(null, null))).isFalse();
        assertThat(here.behind("dave", new History.Cursor(EventIds.derived("elsewhere", 1), null)))
                .as("an id that is not a UUIDv7 says nothing of when it was created")
                .isFalse();
    }

    /** A UUIDv7 event id created {@code ago}. */
    private static UUID createdAgo(Duration ago) {
        return new UUID(((System.currentTimeMillis() - ago.toMillis()) << 16) | 0x7000L, 0x8000000000000001L);
    }

    private static EventEnvelope<EventPayload> event(String user, String message) {
        @SuppressWarnings("unchecked")
        EventEnvelope<EventPayload> event = (EventEnvelope<EventPayload>) (EventEnvelope<?>) EventEnvelope.of(
                new UserEvent.PriceAlertTriggered(user, message, "SOL", new BigDecimal("180.00")), "trading");
        return event;
    }
}
