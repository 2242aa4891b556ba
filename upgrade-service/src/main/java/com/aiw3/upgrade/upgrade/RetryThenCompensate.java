package com.aiw3.upgrade.upgrade;

import com.aiw3.messaging.RetryPolicy;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.Retryable;
import org.springframework.stereotype.Component;

/**
 * The step that upgrades and claims share for the metadata upload and the mint: attempt, back off, attempt
 * again, up to the policy's attempts (Spring's {@code RetryTemplate}, {@link RetryPolicy#template}); when the
 * last attempt fails, compensate with its error (the caller opens the compensation request and records the
 * failure in one transaction). Only {@link AttemptFailed} is tried again: any other error ends the step at
 * once. Each attempt after the first renews the process's lease (the back-offs may outlast it) and none starts,
 * nor does a pause, while the service stops.
 */
@Component
class RetryThenCompensate {

    /** One step of one process. */
    interface Step<T> {
        /** One attempt: the step's result, or {@link AttemptFailed} saying why not. */
        T attempt(int attempt) throws AttemptFailed, InterruptedException;

        /** After a failed attempt (log it, count it). */
        void failed(int attempt, String error);

        /** After the last failed attempt: the step's failed result, compensated. */
        T compensate(String lastError) throws InterruptedException;

        /** Before each attempt after the first: keeps the process's lease through the back-offs. */
        void renewLease();
    }

    /** An attempt that did not succeed; the next one may. */
    static final class AttemptFailed extends Exception {
        AttemptFailed(String reason) {
            super(reason, null, false, false);
        }
    }

    private final ProcessDriver driver;

    RetryThenCompensate(ProcessDriver driver) {
        this.driver = driver;
    }

    <T> T run(RetryPolicy retry, Step<T> step) throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        Retryable<T> attempt = () -> {
            int n = attempts.incrementAndGet();
            driver.checkRunning();
            if (n > 1) {
                step.renewLease();
            }
            try {
                return step.attempt(n);
            } catch (AttemptFailed e) {
                step.failed(n, e.getMessage());
                driver.checkRunning(); // no pause while stopping: the stop ends the step as an error
                throw e;
            }
        };
        try {
            return retry.template(AttemptFailed.class::isInstance).execute(attempt);
        } catch (RetryException e) {
            Throwable last = e.getCause();
            if (last instanceof AttemptFailed failed) {
                if (attempts.get() < retry.maxAttempts()) {
                    // Interrupted during a pause: the template kept the thread's interrupt; it is ours to throw.
                    Thread.interrupted();
                    throw new InterruptedException("interrupted between attempts");
                }
                driver.checkRunning();
                return step.compensate(failed.getMessage());
            }
            if (last instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (last instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (last instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(last);
        }
    }
}
