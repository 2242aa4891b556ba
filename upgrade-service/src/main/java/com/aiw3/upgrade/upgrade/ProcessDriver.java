package com.aiw3.upgrade.upgrade;

import com.aiw3.messaging.tracing.MessageTracing;
import com.aiw3.upgrade.UpgradeProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>Each step runs in a span whose parent is the trace context the process's row keeps from the request that
 * started it, so every step of one upgrade is part of that request's trace; the request or timer run that
 * made the driver run (a confirmed burn, an operator's retry, a resumption) is a span link (ADR 0036).
 */
@Component
class ProcessDriver implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessDriver.class);

    /**
     * A process type the driver runs (the upgrade, the claim): its rows, which of them are in flight, and the
     * step from one persisted state to the next. Leasing, resuming and driving are the driver's, the same for
     * every type.
     */
    abstract static class Pipeline<P extends ProcessRows.Row<?>> {

        private final ProcessDriver driver;

        Pipeline(ProcessDriver driver) {
            this.driver = driver;
        }

        /** The table of the process type, with its state machine. */
        abstract ProcessRows<P, ?> rows();

        /** Does one step and returns the process as persisted after it. */
        abstract P step(P process) throws InterruptedException;

        /** Takes the lease inside the caller's transaction, so no sweeper picks the process up meanwhile. */
        final void leaseInTransaction(UUID id) {
            driver.lease(id, this);
        }

        /** Resumes a process nobody drives (recovery); false if it runs here already or another instance holds it. */
        final boolean resume(UUID id) {
            return driver.resume(id, this);
        }

        final void drive(UUID id) {
            driver.drive(id, this);
        }

        /** In-flight processes whose lease ran out (their instance crashed or stopped). */
        final List<UUID> abandoned(int limit) {
            return rows().abandoned(limit);
        }

        /** A step of one process that retries: renewing the lease is the process's. */
        abstract class Step<T> implements RetryThenCompensate.Step<T> {
            private final UUID id;

            Step(P process) {
                this.id = process.id();
            }

            @Override
            public void renewLease() {
                driver.lease(id, Pipeline.this);
            }
        }
    }

    private final Map<UUID, Pipeline<?>> running = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private final String instance;
    private final MessageTracing tracing;
    private volatile @Nullable ExecutorService workers;
    private volatile boolean stopping;

    ProcessDriver(UpgradeProperties properties, InstanceId instance, MessageTracing tracing) {
        this.permits = new Semaphore(properties.pipelineConcurrency(), true);
        this.instance = instance.value();
        this.tracing = tracing;
    }

    /** Takes (or extends) this instance's lease of the process; false if another instance holds it. */
    private boolean lease(UUID id, Pipeline<?> pipeline) {
        return pipeline.rows().lease(id, instance);
    }

    private void release(UUID id, Pipeline<?> pipeline) {
        pipeline.rows().release(id, instance);
    }

    private boolean resume(UUID id, Pipeline<?> pipeline) {
        if (running.containsKey(id) || !lease(id, pipeline)) {
            return false;
        }
        drive(id, pipeline);
        return true;
    }

    private void drive(UUID id, Pipeline<?> pipeline) {
        ExecutorService pool = workers;
        if (pool == null || pool.isShutdown()) {
            return; // stopping: the lease expires and another instance (or the restart) resumes it
        }
        if (running.putIfAbsent(id, pipeline) == null) {
            // The caller's trace (a request, a timer run) is linked from the steps it set off.
            String trigger = tracing.currentTraceParent();
            pool.submit(() -> run(id, pipeline, trigger));
        }
    }

    private void run(UUID id, Pipeline<?> pipeline, @Nullable String trigger) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            running.remove(id);
            return;
        }
        try {
            steps(id, pipeline, trigger);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (StaleUpgradeException e) {
            log.info("{} was moved by someone else; leaving it to them", id);
        } catch (ArtworkNotPinnedException e) {
            // Waiting costs no attempt: the sweeper resumes the released process at its next run.
            log.info("{} waits for {}", id, e.getMessage());
            release(id, pipeline);
        } catch (RuntimeException e) {
            // The lease runs out and the sweeper resumes at the last persisted step.
            log.error("{} stopped at an unexpected error; it resumes when its lease expires", id, e);
        } finally {
            running.remove(id);
            permits.release();
        }
    }

    /**
     * Takes the process's lease and does the persisted steps until the process is no longer in flight, then
     * releases it; nothing if another instance holds the lease.
     */
    private <P extends ProcessRows.Row<?>> void steps(UUID id, Pipeline<P> pipeline, @Nullable String trigger)
            throws InterruptedException {
        Optional<P> leased = pipeline.rows().leaseAndRead(id, instance);
        if (leased.isEmpty()) {
            return;
        }
        P process = leased.get();
        String traceParent = process.traceParent();
        String noun = pipeline.rows().noun();
        while (true) {
            checkRunning();
            if (!pipeline.rows().inFlight(process)) {
                release(id, pipeline);
                return;
            }
            try (MessageTracing.Scope step = tracing.continueTrace(traceParent, noun + " step", null, trigger)) {
                step.tag("aiw3." + noun + ".id", id.toString())
                        .tag("aiw3.process.status", String.valueOf(process.status()));
                try {
                    process = pipeline.step(process);
                } catch (RuntimeException | InterruptedException e) {
                    step.error(e);
                    throw e;
                }
            }
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
            release(process.getKey(), process.getValue());
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
