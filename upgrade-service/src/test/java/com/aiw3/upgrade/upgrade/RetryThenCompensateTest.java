package com.aiw3.upgrade.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aiw3.messaging.RetryPolicy;
import com.aiw3.upgrade.UpgradeProperties;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The upload's and the mint's retries: how many attempts, which failures are tried again, how long the
 * pauses are at least, and what follows the last attempt.
 */
class RetryThenCompensateTest {

    private final RetryThenCompensate retrying = new RetryThenCompensate(new ProcessDriver(
            properties(), new InstanceId("retry-test"), com.aiw3.messaging.tracing.MessageTracing.NOOP));

    private static UpgradeProperties properties() {
        RetryPolicy none = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO, Duration.ZERO);
        return new UpgradeProperties(
                Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofSeconds(15), 4, none, none, null, null);
    }

    private static RetryPolicy policy(int attempts, long initialMillis, double multiplier) {
        return new RetryPolicy(
                attempts, Duration.ofMillis(initialMillis), multiplier, Duration.ofSeconds(30), Duration.ZERO);
    }

    /** A step whose attempts fail until {@code succeedOn} (0: never), recording what the retry calls. */
    private static final class Recorded implements RetryThenCompensate.Step<String> {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Long> attemptTimes = new CopyOnWriteArrayList<>();
        private final int succeedOn;
        private final RuntimeException thrown;

        Recorded(int succeedOn) {
            this(succeedOn, null);
        }

        Recorded(int succeedOn, RuntimeException thrown) {
            this.succeedOn = succeedOn;
            this.thrown = thrown;
        }

        @Override
        public String attempt(int attempt) throws RetryThenCompensate.AttemptFailed {
            calls.add("attempt " + attempt);
            attemptTimes.add(System.nanoTime());
            if (thrown != null) {
                throw thrown;
            }
            if (attempt == succeedOn) {
                return "done on " + attempt;
            }
            throw new RetryThenCompensate.AttemptFailed("failure " + attempt);
        }

        @Override
        public void failed(int attempt, String error) {
            calls.add("failed " + attempt + ": " + error);
        }

        @Override
        public String compensate(String lastError) {
            calls.add("compensate: " + lastError);
            return "compensated";
        }

        @Override
        public void renewLease() {
            calls.add("renew");
        }
    }

    @Test
    void aStepThatKeepsFailingIsAttemptedMaxAttemptsTimesThenCompensatedWithTheLastError() throws Exception {
        Recorded step = new Recorded(0);

        assertThat(retrying.run(policy(3, 1, 1.0), step)).isEqualTo("compensated");

        assertThat(step.calls)
                .containsExactly(
                        "attempt 1",
                        "failed 1: failure 1",
                        "renew",
                        "attempt 2",
                        "failed 2: failure 2",
                        "renew",
                        "attempt 3",
                        "failed 3: failure 3",
                        "compensate: failure 3");
    }

    @Test
    void aStepThatSucceedsOnARetryReturnsItsResultAndIsNotCompensated() throws Exception {
        Recorded step = new Recorded(2);

        assertThat(retrying.run(policy(5, 1, 1.0), step)).isEqualTo("done on 2");

        assertThat(step.calls).containsExactly("attempt 1", "failed 1: failure 1", "renew", "attempt 2");
    }

    @Test
    void oneAttemptInAllIsCompensatedAtOnceWithoutARenewal() throws Exception {
        Recorded step = new Recorded(0);

        assertThat(retrying.run(policy(1, 1, 1.0), step)).isEqualTo("compensated");

        assertThat(step.calls).containsExactly("attempt 1", "failed 1: failure 1", "compensate: failure 1");
    }

    @Test
    void anErrorThatIsNotAFailedAttemptIsNotRetriedNorCompensated() {
        IllegalStateException bug = new IllegalStateException("a bug");
        Recorded step = new Recorded(0, bug);

        assertThatThrownBy(() -> retrying.run(policy(3, 1, 1.0), step)).isSameAs(bug);

        assertThat(step.calls).containsExactly("attempt 1");
    }

    @Test
    void thePausesGrowByTheMultiplierFromTheInitialBackoff() throws Exception {
        Recorded step = new Recorded(0);

        retrying.run(policy(3, 100, 3.0), step);

        List<Long> at = step.attemptTimes;
        assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.ofNanos(at.get(2) - at.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void anInterruptDuringAPauseStopsTheRetriesWithoutCompensating() {
        Recorded step = new Recorded(0);
        AtomicReference<String> outcome = new AtomicReference<>();
        Thread runner = Thread.ofVirtual().start(() -> outcome.set(run(policy(3, 60_000, 1.0), step)));
        await().atMost(Duration.ofSeconds(5)).until(() -> step.calls.contains("failed 1: failure 1"));
        runner.interrupt();

        await().atMost(Duration.ofSeconds(5)).until(() -> outcome.get() != null);
        assertThat(outcome.get()).isEqualTo("interrupted");
        assertThat(step.calls).containsExactly("attempt 1", "failed 1: failure 1");
    }

    @Test
    void anInterruptedThreadStartsNoAttempt() {
        Recorded step = new Recorded(0);
        AtomicReference<String> outcome = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            Thread.currentThread().interrupt();
            outcome.set(run(policy(3, 1, 1.0), step));
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> outcome.get() != null);
        assertThat(outcome.get()).isEqualTo("interrupted");
        assertThat(step.calls).isEmpty();
    }

    private String run(RetryPolicy policy, Recorded step) {
        try {
            return retrying.run(policy, step);
        } catch (InterruptedException e) {
            return "interrupted";
        }
    }
}
