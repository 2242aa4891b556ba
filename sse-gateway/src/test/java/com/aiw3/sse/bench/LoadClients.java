package com.aiw3.sse.bench;

import com.aiw3.testing.ServerProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link SseLoadClient} processes spread over the server's ports and over source addresses 127.0.0.2
 * and up (a process may hold about 20,000 descriptors here, and one source address has about 28,000
 * ephemeral ports per destination).
 */
final class LoadClients implements AutoCloseable {

    /** What all the processes have seen since the last reset. */
    record Totals(
            int open,
            int failed,
            int closed,
            long received,
            long duplicates,
            long gaps,
            long fewest,
            SseLoadClient.Histogram latency) {}

    private record Client(Process process, Writer commands, BlockingQueue<String> replies) {}

    private final List<Client> clients = new ArrayList<>();

    LoadClients(int connections, int perProcess, List<Integer> ports, String path, Path logs) {
        int processes = Math.max(2, (connections + perProcess - 1) / perProcess);
        processes = Math.max(processes, ports.size());
        Path identities = identities(connections, logs);
        int firstUser = 0;
        for (int i = 0; i < processes; i++) {
            int count = connections / processes + (i < connections % processes ? 1 : 0);
            int port = ports.get(i % ports.size());
            List<String> command = List.of(
                    ServerProcesses.jdkTool("java"),
                    "-XX:+UseSerialGC",
                    "-Xmx768m",
                    "-cp",
                    Path.of(SseLoadClient.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .getPath())
                            .toString(),
                    SseLoadClient.class.getName(),
                    "127.0.0.1",
                    String.valueOf(port),
                    path,
                    String.valueOf(count),
                    String.valueOf(firstUser),
                    "127.0.0." + (2 + i),
                    identities.toString());
            firstUser += count;
            try {
                Process process = new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.appendTo(
                                logs.resolve("load-client-" + i + ".log").toFile()))
                        .start();
                BlockingQueue<String> replies = new LinkedBlockingQueue<>();
                Thread.ofPlatform().daemon().start(() -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = out.readLine()) != null) {
                            replies.add(line);
                        }
                    } catch (IOException ignored) {
                        // process ended
                    }
                });
                clients.add(new Client(
                        process, new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), replies));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    int processes() {
        return clients.size();
    }

    private void send(Client client, String command) {
        try {
            client.commands().write(command + "\n");
            client.commands().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("a load client died; see its log", e);
        }
    }

    Totals totals() {
        clients.forEach(c -> send(c, "stats"));
        int open = 0, failed = 0, closed = 0;
        long received = 0, duplicates = 0, gaps = 0, fewest = Long.MAX_VALUE;
        SseLoadClient.Histogram latency = new SseLoadClient.Histogram();
        for (Client client : clients) {
            Map<String, String> stats = parse(await(client, "STATS "));
            open += Integer.parseInt(stats.get("open"));
            failed += Integer.parseInt(stats.get("failed"));
            closed += Integer.parseInt(stats.get("closed"));
            received += Long.parseLong(stats.get("received"));
            duplicates += Long.parseLong(stats.get("duplicates"));
            gaps += Long.parseLong(stats.get("gaps"));
            fewest = Math.min(fewest, Long.parseLong(stats.get("fewest")));
            latency.add(SseLoadClient.Histogram.decode(stats.get("latency")));
        }
        return new Totals(open, failed, closed, received, duplicates, gaps, fewest, latency);
    }

    /** Zeroes the counters; from now on only events from sequence {@code firstSeq} on count. */
    void reset(long firstSeq) {
        clients.forEach(c -> send(c, "reset " + firstSeq));
        clients.forEach(c -> await(c, "RESET "));
    }

    private static String await(Client client, String prefix) {
        try {
            while (true) {
                String line = client.replies().poll(30, TimeUnit.SECONDS);
                if (line == null) {
                    throw new IllegalStateException("a load client did not answer within 30 s");
                }
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> values = new HashMap<>();
        for (String pair : line.split(" ")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return values;
    }

    @Override
    public void close() {
        for (Client client : clients) {
            try {
                send(client, "exit");
            } catch (UncheckedIOException gone) {
                // already ended
            }
        }
        for (Client client : clients) {
            try {
                if (!client.process().waitFor(10, TimeUnit.SECONDS)) {
                    client.process().destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The signed identity of each bench user ({@code bench-<n>}), one a line, as api-gateway would set it: the
     * load clients stay free of dependencies and read them from this file.
     */
    private static Path identities(int users, Path logs) {
        Path file = logs.resolve("bench-identities.txt");
        try (Writer out = java.nio.file.Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int user = 0; user < users; user++) {
                out.write(com.aiw3.testing.TestIdentities.identityOf("bench-" + user, "user"));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
