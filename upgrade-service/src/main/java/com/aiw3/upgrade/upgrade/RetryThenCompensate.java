package com.aiw3.upgrade.upgrade;

import com.aiw3.messaging.RetryPolicy;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The step that upgrades and claims share for the metadata upload and the mint: attempt, back off, attempt
 * again, up to the policy's attempts; when the last attempt fails, compensate with its error (the caller
 * opens the compensation request and records the failure in one transaction). Each attempt after the first
 * renews the process's lease (the back-offs may outlast it) and none starts while the service stops.
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
        String lastError = "";
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            driver.checkRunning();
            if (attempt > 1) {
                step.renewLease();
            }
            try {
                return step.attempt(attempt);
            } catch (AttemptFailed e) {
                lastError = e.getMessage();
                step.failed(attempt, lastError);
            }
            driver.checkRunning();
            if (attempt < retry.maxAttempts()) {
                Duration backoff = retry.backoff(attempt);
                Thread.sleep(backoff);
            }
        }
        driver.checkRunning();
        return step.compensate(lastError);
    }
}
