package com.aiw3.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void idsAreVersion7AndStrictlyIncreasingEvenWithinOneMillisecond() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(EventIds.next());
        }

        assertThat(ids).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        });
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
        }
    }

    @Test
    void theTimestampOfAnIdIsItsCreationTime() {
        long before = System.currentTimeMillis();
        UUID id = EventIds.next();
        long after = System.currentTimeMillis();

        assertThat(EventIds.timestampOf(id)).isBetween(before, after + 5);
    }

    @Test
    void derivedIdsAreStableForTheSameCause() {
        assertThat(EventIds.derived("notification", "upgrade-1", "completed"))
                .isEqualTo(EventIds.derived("notification", "upgrade-1", "completed"))
                .isNotEqualTo(EventIds.derived("notification", "upgrade-1", "burn_failed"));
    }
}
