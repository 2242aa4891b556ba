package com.aiw3.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Servers a benchmark runs as operating-system processes of their own, so that their CPU time and memory
 * can be read from {@code /proc} apart from the load client's: start, wait for, stop and measure them.
 */
public final class ServerProcesses {

    private ServerProcesses() {}

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static List<ProcessHandle> withDescendants(Process process) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        return all;
    }

    public static Process start(List<String> command, Path log, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static boolean answers(String url) {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static void awaitAnswer(String url, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!answers(url)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " did not answer within " + within);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
        }
    }

    /** Resident memory of the processes, in bytes ({@code VmRSS} of {@code /proc/<pid>/status}). */
    public static long rss(List<ProcessHandle> processes) {
        long total = 0;
        for (ProcessHandle process : processes) {
            try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                total += lines.filter(l -> l.startsWith("VmRSS:"))
                        .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                        .sum();
            } catch (IOException | UncheckedIOException gone) {
                // a process that ended holds nothing
            }
        }
        return total;
    }

    /** CPU time of processes, in nanoseconds: in user space and in the kernel (socket writes are there). */
    public record Cpu(long userNanos, long systemNanos) {
        public long total() {
            return userNanos + systemNanos;
        }

        public Cpu minus(Cpu before) {
            return new Cpu(userNanos - before.userNanos, systemNanos - before.systemNanos);
        }
    }

    /** From {@code /proc/<pid>/stat}: utime and stime, in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
    public static Cpu cpu(List<ProcessHandle> processes) {
        long user = 0;
        long system = 0;
        for (ProcessHandle process : processes) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields[11] and [12] are fields 14 and 15 of proc(5)
                user += Long.parseLong(fields[11]);
                system += Long.parseLong(fields[12]);
            } catch (IOException gone) {
                // ended
            }
        }
        return new Cpu(user * 10_000_000L, system * 10_000_000L);
    }
}
