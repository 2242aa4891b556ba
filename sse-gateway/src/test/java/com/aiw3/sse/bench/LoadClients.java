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
 * {@link SseLoadClient} processes spread over the server's ports (or {@link ResumingLoadClient} processes, each
 * over all of them) and over source addresses 127.0.0.2 and up (a process may hold about 20,000 descriptors here, and one source address has about 28,000
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
        Path identities = identities("bench-", connections, logs.resolve("bench-identities.txt"));
        startShares(
                processes,
                connections,
                SseLoadClient.class,
                i -> String.valueOf(ports.get(i % ports.size())),
                path,
                identities,
                logs);
    }

    private LoadClients() {}

    /**
     * {@link ResumingLoadClient} processes, each holding its share of {@code streams} (one user each, the signed
     * identities in {@code identities}) spread over every one of {@code ports}, and reconnecting among them.
     */
    static LoadClients resuming(
            int streams, int perProcess, List<Integer> ports, String path, Path identities, Path logs) {
        LoadClients clients = new LoadClients();
        int processes = Math.max(2, (streams + perProcess - 1) / perProcess);
        String allPorts = String.join(",", ports.stream().map(String::valueOf).toList());
        clients.startShares(processes, streams, ResumingLoadClient.class, i -> allPorts, path, identities, logs);
        return clients;
    }

    /**
     * Starts {@code processes} processes of {@code client}, each holding its share of {@code users} (consecutive
     * user numbers) on the ports {@code ports} names for it, from a source address of its own.
     */
    private void startShares(
            int processes,
            int users,
            Class<?> client,
            java.util.function.IntFunction<String> ports,
            String path,
            Path identities,
            Path logs) {
        int firstUser = 0;
        for (int i = 0; i < processes; i++) {
            int count = users / processes + (i < users % processes ? 1 : 0);
            start(
                    i,
                    client,
                    List.of(
                            "127.0.0.1",
                            ports.apply(i),
                            path,
                            String.valueOf(count),
                            String.valueOf(firstUser),
                            "127.0.0." + (2 + i),
                            identities.toString()),
                    logs);
            firstUser += count;
        }
    }

    private void start(int index, Class<?> client, List<String> arguments, Path logs) {
        List<String> command = new ArrayList<>(List.of(
                ServerProcesses.jdkTool("java"),
                "-XX:+UseSerialGC",
                "-Xmx768m",
                "-cp",
                Path.of(client.getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .getPath())
                        .toString(),
                client.getName()));
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(
                            logs.resolve("load-client-" + index + ".log").toFile()))
                    .start();
            BlockingQueue<String> replies = new LinkedBlockingQueue<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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

    /**
     * Sends {@code command} to every process and returns each one's reply (the line starting with {@code prefix},
     * without it), in process order.
     */
    List<String> ask(String command, String prefix) {
        clients.forEach(c -> send(c, command));
        return clients.stream().map(c -> await(c, prefix)).toList();
    }

    /** {@link #ask} for replies of {@code key=value} pairs. */
    List<Map<String, String>> askPairs(String command, String prefix) {
        return ask(command, prefix).stream().map(LoadClients::parse).toList();
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
     * The signed identity of each user ({@code <prefix><n>}), one a line, as api-gateway would set it: the load
     * clients stay free of dependencies and read them from {@code file}. Signed identities are short-lived, so a
     * benchmark that reconnects minutes later writes them again and tells the clients.
     */
    static Path identities(String prefix, int users, Path file) {
        try (Writer out = java.nio.file.Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int user = 0; user < users; user++) {
                out.write(com.aiw3.testing.TestIdentities.identityOf(prefix + user, "user"));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
