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
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Servers a benchmark runs as operating-system processes of their own, so that their CPU time and memory
 * can be read from {@code /proc} apart from the load client's: start, wait for, stop and measure them.
 */
public final class ServerProcesses {

    private ServerProcesses() {}

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A tool of the JDK running this JVM ({@code java}, {@code jcmd}, ...). */
    public static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /**
     * The JVM flags of the services' images (the root pom's jib {@code jvmFlags}), with {@code podMemory} (the
     * pod's memory limit in deploy/k8s, e.g. {@code 1g}) standing in for the container's memory.
     */
    public static List<String> imageJvm(String podMemory) {
        return List.of(
                "-XX:MaxRAM=" + podMemory,
                "-XX:MaxRAMPercentage=70",
                "-XX:InitialRAMPercentage=50",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseG1GC",
                "-Xss512k",
                "--enable-native-access=ALL-UNNAMED");
    }

    /**
     * A server's JVM flags: its image's, then those of {@code -Dbenchmark.gateway-jvm=...} (for example a
     * flight recording), which come later and so win.
     */
    public static List<String> jvmFlags(List<String> image) {
        List<String> flags = new ArrayList<>(image);
        String extra = System.getProperty("benchmark.gateway-jvm", "");
        if (!extra.isBlank()) {
            flags.addAll(List.of(extra.trim().split("\\s+")));
        }
        return flags;
    }

    /**
     * The boot jar {@code package} put in the module's {@code target/} before the benchmark phase, or
     * {@code -Dbenchmark.gateway-jar=...}: another build of it, to measure before and after a change.
     */
    public static Path bootJar(String artifactId) {
        String given = System.getProperty("benchmark.gateway-jar", "");
        if (!given.isBlank()) {
            return Path.of(given);
        }
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches(Pattern.quote(artifactId) + "-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
                    .filter(p -> !p.getFileName().toString().contains("image"))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("no " + artifactId + " jar in target/: package it first"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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

    private static final Cpu NONE = new Cpu(0, 0);
    /** Every name starts with the empty string. */
    private static final List<String> ANY_NAME = List.of("");

    /** CPU time of processes, in nanoseconds: in user space and in the kernel (socket writes are there). */
    public record Cpu(long userNanos, long systemNanos) {
        public long total() {
            return userNanos + systemNanos;
        }

        public Cpu plus(Cpu other) {
            return new Cpu(userNanos + other.userNanos, systemNanos + other.systemNanos);
        }

        public Cpu minus(Cpu before) {
            return new Cpu(userNanos - before.userNanos, systemNanos - before.systemNanos);
        }
    }

    /** From {@code /proc/<pid>/stat}: utime and stime, in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
    public static Cpu cpu(List<ProcessHandle> processes) {
        Cpu total = NONE;
        for (ProcessHandle process : processes) {
            total = total.plus(stat(Path.of("/proc", String.valueOf(process.pid()), "stat"), ANY_NAME));
        }
        return total;
    }

    /**
     * CPU time of the processes' threads whose name starts with one of {@code prefixes} (for example
     * HotSpot's {@code C2 CompilerThre}), from {@code /proc/<pid>/task/<tid>/stat}. A thread that has ended
     * no longer counts.
     */
    public static Cpu threadCpu(List<ProcessHandle> processes, List<String> prefixes) {
        Cpu total = NONE;
        for (ProcessHandle process : processes) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
                for (Path task : tasks.toList()) {
                    total = total.plus(stat(task.resolve("stat"), prefixes));
                }
            } catch (IOException gone) {
                // ended
            }
        }
        return total;
    }

    /**
     * One stat file's utime and stime, if the name it gives (field 2, in parentheses) starts with one of
     * {@code prefixes}; none once its process or thread has ended.
     */
    private static Cpu stat(Path stat, List<String> prefixes) {
        try {
            String text = Files.readString(stat);
            int nameEnd = text.lastIndexOf(')');
            String name = text.substring(text.indexOf('(') + 1, nameEnd);
            if (prefixes.stream().noneMatch(name::startsWith)) {
                return NONE;
            }
            String[] fields = text.substring(nameEnd + 2).split(" ");
            // fields[11] and [12] are fields 14 and 15 of proc(5)
            return new Cpu(Long.parseLong(fields[11]) * 10_000_000L, Long.parseLong(fields[12]) * 10_000_000L);
        } catch (IOException gone) {
            return NONE;
        }
    }
}
