package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LatencyHistogramsTest {

    @Test
    void quantilesAreInterpolatedWithinTheirBucketAsHistogramQuantileDoes() {
        // 100 observations: 50 up to 10 ms, 40 more up to 100 ms, 10 more up to 1 s.
        TreeMap<Double, Double> buckets =
                new TreeMap<>(Map.of(0.01, 50.0, 0.1, 90.0, 1.0, 100.0, Double.POSITIVE_INFINITY, 100.0));

        assertThat(LatencyHistograms.quantileMillis(buckets, 0.5)).isCloseTo(10.0, within(1e-9));
        assertThat(LatencyHistograms.quantileMillis(buckets, 0.7)).isCloseTo(55.0, within(1e-9));
        assertThat(LatencyHistograms.quantileMillis(buckets, 0.99)).isCloseTo(910.0, within(1e-9));
    }

    @Test
    void aRoundIsTheDifferenceOfTwoScrapesAndAnEmptyOneHasNoQuantile() {
        var before = Map.of("h", new TreeMap<>(Map.of(0.01, 5.0, Double.POSITIVE_INFINITY, 5.0)));
        var after = Map.of("h", new TreeMap<>(Map.of(0.01, 5.0, Double.POSITIVE_INFINITY, 5.0)));

        var round = LatencyHistograms.minus(after, before);

        assertThat(round.get("h")).containsEntry(Double.POSITIVE_INFINITY, 0.0);
        assertThat(LatencyHistograms.quantileMillis(round.get("h"), 0.5)).isNaN();
    }
}
