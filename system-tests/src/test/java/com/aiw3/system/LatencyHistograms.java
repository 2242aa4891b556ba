package com.aiw3.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The services' own latency histograms as Prometheus scrapes them ({@code /actuator/prometheus}): the
 * bucket counts of one histogram summed over the series a filter accepts, the difference between two
 * scrapes (so one round is reported without the warm-up before it), and its quantiles estimated as
 * PromQL's {@code histogram_quantile} does (linear within the bucket). What the dashboards show,
 * measured over a benchmark's round.
 */
final class LatencyHistograms {

    /** One histogram of one service: {@code name} without {@code _bucket}; {@code series} filters label sets. */
    record Histogram(String label, String service, String name, Predicate<String> series) {}

    /**
     * The histograms the dashboards and SLO alerts use, for the upgrade path of online users (the
     * benchmark's users hold streams, so no push, email or SMS is sent).
     */
    static final List<Histogram> UPGRADE_PATH = List.of(
            new Histogram(
                    "POST /api/v1/nft/upgrade (upgrade-service)",
                    "upgrade-service",
                    "http_server_requests_seconds",
                    labels -> labels.contains("method=\"POST\"") && labels.contains("uri=\"/api/v1/nft/upgrade\"")),
            new Histogram(
                    "confirm-burn -> completed (analytics-service, from the events' times)",
                    "analytics-service",
                    "aiw3_upgrade_confirm_to_completed_seconds",
                    labels -> true),
            new Histogram(
                    "outbox commit -> Kafka ack (upgrade-service)",
                    "upgrade-service",
                    "aiw3_outbox_relay_delay_seconds",
                    labels -> true),
            new Histogram(
                    "event commit -> SSE hand-over (sse-gateway)",
                    "sse-gateway",
                    "aiw3_sse_publish_to_delivery_seconds",
                    labels -> true));

    private LatencyHistograms() {}

    /** Cumulative bucket counts by upper bound (seconds), per histogram label. */
    static Map<String, TreeMap<Double, Double>> scrape(Platform platform, List<Histogram> histograms) {
        Map<String, TreeMap<Double, Double>> all = new LinkedHashMap<>();
        Map<String, String> pages = new LinkedHashMap<>();
        for (Histogram histogram : histograms) {
            String page = pages.computeIfAbsent(histogram.service(), service -> fetch(platform, service));
            TreeMap<Double, Double> buckets = new TreeMap<>();
            String prefix = histogram.name() + "_bucket{";
            for (String line : page.lines().toList()) {
                if (!line.startsWith(prefix)) {
                    continue;
                }
                String labels = line.substring(prefix.length(), line.lastIndexOf('}'));
                if (!histogram.series().test(labels)) {
                    continue;
                }
                int le = labels.indexOf("le=\"");
                String bound = labels.substring(le + 4, labels.indexOf('"', le + 4));
                double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                buckets.merge(upper, count, Double::sum);
            }
            all.put(histogram.label(), buckets);
        }
        return all;
    }

    /** The counts that arrived between two scrapes. */
    static Map<String, TreeMap<Double, Double>> minus(
            Map<String, TreeMap<Double, Double>> after, Map<String, TreeMap<Double, Double>> before) {
        Map<String, TreeMap<Double, Double>> delta = new LinkedHashMap<>();
        after.forEach((label, buckets) -> {
            TreeMap<Double, Double> earlier = before.getOrDefault(label, new TreeMap<>());
            TreeMap<Double, Double> d = new TreeMap<>();
            buckets.forEach((le, count) -> d.put(le, count - earlier.getOrDefault(le, 0.0)));
            delta.put(label, d);
        });
        return delta;
    }

    /** {@code histogram_quantile(q, ...)} of cumulative buckets, in milliseconds; NaN when empty. */
    static double quantileMillis(TreeMap<Double, Double> buckets, double q) {
        if (buckets.isEmpty()) {
            return Double.NaN;
        }
        double total = buckets.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound * 1000; // as PromQL: the highest finite bound
                }
                double inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket == 0 ? 0 : (rank - lowerCount) / inBucket;
                return (lowerBound + (bucket.getKey() - lowerBound) * fraction) * 1000;
            }
            lowerBound = bucket.getKey().isInfinite() ? lowerBound : bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound * 1000;
    }

    /** A Markdown table: observations, p50, p99 of each histogram over the round. */
    static String table(Map<String, TreeMap<Double, Double>> round) {
        List<String> rows = new ArrayList<>();
        rows.add("| server-side histogram (the dashboards' source) | observations | p50 | p99 |");
        rows.add("|---|---|---|---|");
        round.forEach((label, buckets) -> rows.add(String.format(
                Locale.ROOT,
                "| %s | %.0f | %s | %s |",
                label,
                buckets.isEmpty() ? 0.0 : buckets.lastEntry().getValue(),
                millis(quantileMillis(buckets, 0.5)),
                millis(quantileMillis(buckets, 0.99)))));
        return String.join(System.lineSeparator(), rows) + System.lineSeparator();
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.1f ms", value);
    }

    /** A service's {@code /actuator/prometheus} page; empty when it does not answer. */
    static String fetch(Platform platform, String service) {
        try {
            HttpResponse<String> page = User.HTTP.send(
                    HttpRequest.newBuilder(URI.create(platform.direct(service) + "/actuator/prometheus"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return page.statusCode() == 200 ? page.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
