package com.aiw3.upgrade.upgrade;

import com.aiw3.upgrade.UpgradeProperties;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the in-flight upgrades and claims on virtual threads: one driver per process at a time on this
 * instance, at most {@code pipeline-concurrency} at once, and only while the process's lease is held. A
 * process that stops at an unexpected error keeps its lease until it runs out; the sweeper then resumes it
 * at its last persisted step. On shutdown no new attempt starts and the leases are handed back.
 */
@Component
class ProcessDriver implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessDriver.class);

    /** An upgrade or a claim pipeline: its lease, and its steps from the persisted state on. */
    interface Process {
        /** Takes (or extends) this instance's lease of the process; false if another instance holds it. */
        boolean lease(UUID id);

        void release(UUID id);

        /** Does the persisted steps until the process is no longer in flight (then releases it). */
        void run(UUID id) throws InterruptedException;
    }

    private final Map<UUID, Process> running = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private volatile @Nullable ExecutorService workers;
    private volatile boolean stopping;

    ProcessDriver(UpgradeProperties properties) {
        this.permits = new Semaphore(properties.pipelineConcurrency(), true);
    }

    /** Resumes a process nobody drives (recovery); false if it runs here already or another instance holds it. */
    boolean resume(UUID id, Process process) {
        if (running.containsKey(id) || !process.lease(id)) {
            return false;
        }
        drive(id, process);
        return true;
    }

    void drive(UUID id, Process process) {
        ExecutorService pool = workers;
        if (pool == null || pool.isShutdown()) {
            return; // stopping: the lease expires and another instance (or the restart) resumes it
        }
        if (running.putIfAbsent(id, process) == null) {
            pool.submit(() -> run(id, process));
        }
    }

    private void run(UUID id, Process process) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            running.remove(id);
            return;
        }
        try {
            if (process.lease(id)) {
                process.run(id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (StaleUpgradeException e) {
            log.info("{} was moved by someone else; leaving it to them", id);
        } catch (ArtworkNotPinnedException e) {
            // Waiting costs no attempt: the sweeper resumes the released process at its next run.
            log.info("{} waits for {}", id, e.getMessage());
            process.release(id);
        } catch (RuntimeException e) {
            // The lease runs out and the sweeper resumes at the last persisted step.
            log.error("{} stopped at an unexpected error; it resumes when its lease expires", id, e);
        } finally {
            running.remove(id);
            permits.release();
        }
    }

    /**
     * Stopping interrupts the workers, but an HTTP client may swallow the interrupt: the flag makes sure
     * no new attempt starts once shutdown began (the step resumes from its persisted state instead).
     */
    void checkRunning() throws InterruptedException {
        if (stopping || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("the pipeline is stopping");
        }
    }

    // ---- lifecycle: stop driving on shutdown, hand the leases back ---------------------------------

    @Override
    public void start() {
        stopping = false;
        workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("upgrade-pipeline-", 0).factory());
    }

    @Override
    public void stop() {
        ExecutorService pool = workers;
        if (pool == null) {
            return;
        }
        stopping = true;
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var process : Map.copyOf(running).entrySet()) {
            process.getValue().release(process.getKey());
        }
    }

    @Override
    public boolean isRunning() {
        ExecutorService pool = workers;
        return pool != null && !pool.isShutdown();
    }

    /** Stops before the web server and the data source. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }
}
