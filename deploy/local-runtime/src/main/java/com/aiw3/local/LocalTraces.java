package com.aiw3.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code ./run-local trace}: one trace of a local run started with {@code --traces}, its spans as a tree (from
 * {@value #SPANS_FILE}) and every service's log lines that carry its id, in time order. The trace of an upgrade
 * is found by its upgrade id in upgrade-service's log lines, or else among the spans' attributes.
 */
public final class LocalTraces {

    /** The spans of the local run, one JSON line each ({@link TraceReceiver#toJson}), under its work directory. */
    public static final String SPANS_FILE = "traces.jsonl";

    /** Spring Boot's console pattern writes the current trace as {@code [<traceId>-<spanId>]}. */
    private static final Pattern CORRELATION = Pattern.compile("\\[([0-9a-f]{32})-[0-9a-f]{16}\\]");
    /** A trace id written in a message ({@code trace <traceId>}). */
    private static final Pattern TRACE_ID = Pattern.compile("(?<![0-9a-f-])([0-9a-f]{32})(?![0-9a-f-])");

    private static final Pattern JSON_TIMESTAMP = Pattern.compile("\"@timestamp\"\\s*:\\s*\"([^\"]+)\"");

    private static final String USAGE = "usage: ./run-local trace <traceId> | ./run-local trace --upgrade <upgradeId>";

    /** One line of a service's log. */
    public record LogLine(String service, @Nullable Instant at, String text) {}

    private LocalTraces() {}

    /**
     * Runs {@code trace <traceId>} or {@code trace --upgrade <upgradeId>} ({@code args} without the word
     * {@code trace}) on the local run in {@code work}; returns the exit code.
     */
    public static int run(List<String> args, Path work, PrintStream out) throws IOException {
        String traceId;
        if (args.size() == 2 && args.getFirst().equals("--upgrade")) {
            String upgradeId = args.get(1);
            Optional<String> found = traceOfUpgrade(work, upgradeId);
            if (found.isEmpty()) {
                out.printf(
                        "no trace of upgrade %s: neither upgrade-service's log (%s) nor the spans (%s) name it%n",
                        upgradeId, logs(work).resolve("upgrade-service.log"), work.resolve(SPANS_FILE));
                return 1;
            }
            traceId = found.get();
            out.printf("upgrade %s is trace %s%n", upgradeId, traceId);
        } else if (args.size() == 1
                && TRACE_ID.matcher(args.getFirst().toLowerCase(Locale.ROOT)).matches()) {
            traceId = args.getFirst().toLowerCase(Locale.ROOT);
        } else {
            out.println(USAGE);
            return 2;
        }
        out.print(report(work, traceId));
        return 0;
    }

    /**
     * The trace's spans as a tree and the services' log lines that carry its id; says so when the spans file is
     * missing (the run was started without {@code --traces}).
     */
    public static String report(Path work, String traceId) throws IOException {
        StringBuilder out = new StringBuilder();
        Path spansFile = work.resolve(SPANS_FILE);
        List<TraceReceiver.Span> spans = TraceReceiver.read(spansFile, traceId);
        if (!Files.exists(spansFile)) {
            out.append("no spans: ")
                    .append(spansFile)
                    .append(" is missing (start the local run with ./run-local --traces)\n");
        } else if (spans.isEmpty()) {
            out.append("no spans of trace ")
                    .append(traceId)
                    .append(" in ")
                    .append(spansFile)
                    .append('\n');
        } else {
            out.append(String.format(
                    "trace %s: %d spans from %s%n",
                    traceId,
                    spans.size(),
                    spans.stream().map(TraceReceiver.Span::service).distinct().collect(Collectors.joining(", "))));
            out.append(TraceReceiver.tree(spans).indent(2));
        }
        List<LogLine> lines = logLines(logs(work), traceId);
        out.append(String.format(
                "%nlog lines of trace %s (%d, in time order; logs in %s):%n", traceId, lines.size(), logs(work)));
        int width = lines.stream().mapToInt(l -> l.service().length()).max().orElse(0);
        lines.forEach(line -> out.append("  ")
                .append(String.format("%-" + width + "s", line.service()))
                .append(" | ")
                .append(line.text())
                .append('\n'));
        return out.toString();
    }

    /** Every service's log lines that carry the trace id, in time order (a line's own order within a log kept). */
    public static List<LogLine> logLines(Path logs, String traceId) throws IOException {
        List<LogLine> found = new ArrayList<>();
        for (LocalService service : LocalService.ALL) {
            for (String line : lines(logs.resolve(service.name() + ".log"))) {
                if (line.contains(traceId)) {
                    found.add(new LogLine(service.name(), timeOf(line), line));
                }
            }
        }
        // Stable: lines without a time stay after the timed ones of their service, in their order.
        found.sort(Comparator.comparing(LogLine::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return found;
    }

    /**
     * The trace of an upgrade: of the trace ids in upgrade-service's log lines that name the upgrade, the one
     * with the most lines, the earliest on a tie (the confirm-burn request has a few lines of its own trace);
     * without any, the trace of the spans that carry the upgrade id as an attribute.
     */
    public static Optional<String> traceOfUpgrade(Path work, String upgradeId) throws IOException {
        List<String> fromLogs = lines(logs(work).resolve("upgrade-service.log")).stream()
                .filter(line -> line.contains(upgradeId))
                .map(LocalTraces::traceIdOf)
                .flatMap(Optional::stream)
                .toList();
        if (!fromLogs.isEmpty()) {
            return mostFrequent(fromLogs);
        }
        Path spansFile = work.resolve(SPANS_FILE);
        if (!Files.exists(spansFile)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(spansFile, StandardCharsets.UTF_8)) {
            return mostFrequent(lines.filter(line -> line.contains(upgradeId))
                    .map(TraceReceiver::fromJson)
                    .filter(span -> span.attributes().containsValue(upgradeId))
                    .map(TraceReceiver.Span::traceId)
                    .toList());
        }
    }

    /** The trace a log line was written in ({@code [traceId-spanId]}), or the trace id its message names. */
    static Optional<String> traceIdOf(String line) {
        Matcher correlation = CORRELATION.matcher(line);
        if (correlation.find()) {
            return Optional.of(correlation.group(1));
        }
        Matcher named = TRACE_ID.matcher(line);
        return named.find() ? Optional.of(named.group(1)) : Optional.empty();
    }

    /** The id that occurs most often; on a tie the one that occurs first (maxBy keeps the earlier of equals). */
    private static Optional<String> mostFrequent(List<String> ids) {
        Map<String, Long> counts = ids.stream()
                .collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
    }

    /**
     * The time of a line: what it starts with (Spring Boot's console pattern, ISO-8601 with offset), or its
     * {@code @timestamp} (a JSON line, {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}).
     */
    private static @Nullable Instant timeOf(String line) {
        Matcher json = JSON_TIMESTAMP.matcher(line);
        String time;
        if (line.startsWith("{") && json.find()) {
            time = json.group(1);
        } else {
            int end = line.indexOf(' ');
            if (end <= 0) {
                return null;
            }
            time = line.substring(0, end);
        }
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException notATime) {
            return null;
        }
    }

    private static List<String> lines(Path log) throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        // A log may hold bytes that are not UTF-8 (a native library's output); they must not stop the search.
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                .lines()
                .toList();
    }

    private static Path logs(Path work) {
        return work.resolve("logs");
    }
}
