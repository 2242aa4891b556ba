package com.aiw3.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The child processes of the local run and of the system tests; stopped in reverse start order,
 * gracefully then forcibly.
 */
public final class Processes {

    private record Child(String name, Process process) {}

    private final Path logs;
    private final List<Child> children = Collections.synchronizedList(new ArrayList<>());

    public Processes(Path logs) throws IOException {
        this.logs = Files.createDirectories(logs);
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public Path logOf(String name) {
        return logs.resolve(name + ".log");
    }

    public Process start(String name, List<String> command, Map<String, String> env) throws IOException {
        // Appended: a restarted process (system tests) keeps the log of its earlier life.
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logOf(name).toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        children.add(new Child(name, process));
        return process;
    }

    /** Runs a command to completion (a set-up step) and returns its exit code. */
    public int run(String name, List<String> command, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logOf(name).toFile());
        builder.environment().putAll(env);
        return builder.start().waitFor();
    }

    /** The named process while it runs, and what it started: whose CPU time a benchmark reads. */
    public List<ProcessHandle> handles(String name) {
        synchronized (children) {
            return children.stream()
                    .filter(c -> c.name().equals(name) && c.process().isAlive())
                    .flatMap(c -> Stream.concat(
                            Stream.of(c.process().toHandle()), c.process().descendants()))
                    .toList();
        }
    }

    public boolean alive(String name) {
        synchronized (children) {
            return children.stream()
                    .anyMatch(c -> c.name().equals(name) && c.process().isAlive());
        }
    }

    /**
     * Stops the named process: SIGKILL when {@code forcibly} (a crash: no shutdown hook runs), else SIGTERM
     * and up to {@code grace} for a graceful exit. Returns once it is gone.
     */
    public void stop(String name, boolean forcibly, Duration grace) throws InterruptedException {
        List<Child> named;
        synchronized (children) {
            named = children.stream().filter(c -> c.name().equals(name)).toList();
            children.removeAll(named);
        }
        for (Child child : named) {
            if (forcibly) {
                child.process().destroyForcibly();
            } else {
                child.process().destroy();
            }
            if (!child.process().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                child.process().destroyForcibly().waitFor();
            }
        }
    }

    /** SIGTERM to every child (services drain gracefully), newest first; SIGKILL whatever outlives the grace. */
    public void stopAll(Duration grace) {
        List<Child> reversed;
        synchronized (children) {
            reversed = new ArrayList<>(children);
        }
        Collections.reverse(reversed);
        for (Child child : reversed) {
            if (!child.name().equals("kafka")) {
                child.process().destroy();
            }
        }
        awaitExit(reversed.stream().filter(c -> !c.name().equals("kafka")).toList(), grace);
        // The broker goes last, so services can finish relaying and committing offsets on the way out.
        reversed.stream()
                .filter(c -> c.name().equals("kafka"))
                .forEach(c -> c.process().destroy());
        awaitExit(reversed, grace);
        for (Child child : reversed) {
            child.process().descendants().forEach(ProcessHandle::destroyForcibly);
            child.process().destroyForcibly();
        }
    }

    private static void awaitExit(List<Child> group, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        for (Child child : group) {
            long left = deadline - System.nanoTime();
            try {
                child.process().waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
