package com.aiw3.notification.contact;

import com.aiw3.notification.NotificationProperties;
import java.time.Duration;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A token bucket per user for preference writes: {@code write-burst} writes at once, one more every
 * {@code write-refill}. The bucket is a row in the service's database, taken and refilled by one
 * statement, so the limit holds across every instance of the service (which has no Redis of its own).
 */
@Component
class PreferenceWriteLimit {

    private final JdbcClient jdbc;
    private final int burst;
    private final double refillSeconds;

    PreferenceWriteLimit(JdbcClient jdbc, NotificationProperties properties) {
        this.jdbc = jdbc;
        this.burst = properties.preferences().writeBurst();
        this.refillSeconds = properties.preferences().writeRefill().toMillis() / 1000.0;
    }

    /** Takes one write from the user's bucket; empty when allowed, otherwise how long until one is. */
    Optional<Duration> take(String userId) {
        boolean taken = jdbc.sql("""
                        insert into preference_write_buckets as b (user_id, tokens, refilled_at)
                        values (:user, cast(:burst as float8) - 1, now())
                        on conflict (user_id) do update
                            set tokens = least(cast(:burst as float8),
                                    b.tokens + extract(epoch from (now() - b.refilled_at))::float8 / :refill) - 1,
                                refilled_at = now()
                            where least(cast(:burst as float8),
                                    b.tokens + extract(epoch from (now() - b.refilled_at))::float8 / :refill) >= 1
                        returning user_id""")
                .param("user", userId)
                .param("burst", burst)
                .param("refill", refillSeconds)
                .query(String.class)
                .optional()
                .isPresent();
        if (taken) {
            return Optional.empty();
        }
        double wait = jdbc.sql("""
                        select (1 - least(cast(:burst as float8),
                                tokens + extract(epoch from (now() - refilled_at))::float8 / :refill)) * :refill
                        from preference_write_buckets where user_id = :user""")
                .param("user", userId)
                .param("burst", burst)
                .param("refill", refillSeconds)
                .query(Double.class)
                .optional()
                .orElse(refillSeconds);
        return Optional.of(Duration.ofSeconds(Math.max(1, (long) Math.ceil(wait))));
    }
}
