package com.aiw3.sse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StreamLifetimeTest {

    private static final Duration MAX = Duration.ofMinutes(15);
    private static final Duration JITTER = Duration.ofMinutes(5);

    @Test
    void lifetimesSpreadEvenlyBetweenTheMaximumLessTheJitterAndTheMaximum() {
        SplittableRandom random = new SplittableRandom(7);
        List<Duration> lifetimes = IntStream.range(0, 10_000)
                .mapToObj(i -> Streams.lifetime(MAX, JITTER, random))
                .toList();

        assertThat(lifetimes).allSatisfy(l -> assertThat(l).isBetween(MAX.minus(JITTER), MAX));
        // Evenly: each minute of the jitter holds about a fifth of the streams.
        for (int minute = 10; minute < 15; minute++) {
            Duration from = Duration.ofMinutes(minute);
            Duration to = from.plusMinutes(1);
            long inMinute = lifetimes.stream()
                    .filter(l -> l.compareTo(from) >= 0 && l.compareTo(to) < 0)
                    .count();
            assertThat(inMinute).as("lifetimes in minute %d", minute).isBetween(1_800L, 2_200L);
        }
    }

    @Test
    void withoutJitterEveryStreamLivesTheMaximumAndJitterNeverMakesALifetimeNegative() {
        SplittableRandom random = new SplittableRandom(7);
        assertThat(Streams.lifetime(MAX, Duration.ZERO, random)).isEqualTo(MAX);
        assertThat(IntStream.range(0, 1_000).mapToObj(i -> Streams.lifetime(JITTER, MAX, random)))
                .allSatisfy(l -> assertThat(l).isBetween(Duration.ZERO, JITTER));
    }
}
