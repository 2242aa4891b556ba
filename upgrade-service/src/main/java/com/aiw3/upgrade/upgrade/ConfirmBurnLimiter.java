package com.aiw3.upgrade.upgrade;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-user limit on confirm-burn, in memory per instance: each call may make several RPC lookups, so a
 * user gets a burst of {@link #BURST} calls, refilled at one per {@link #REFILL}. With N instances a user
 * gets at most N times that. The map keeps the {@link #MAX_USERS} most recently seen users (LRU), so
 * memory stays bounded; a user evicted starts with a full bucket again.
 */
final class ConfirmBurnLimiter {

    static final int BURST = 5;
    static final Duration REFILL = Duration.ofSeconds(6);
    static final int MAX_USERS = 100_000;

    private final Map<String, long[]> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_USERS;
        }
    };

    /** Takes a token for {@code userId}; false if the user has none left. */
    synchronized boolean tryAcquire(String userId, long nowNanos) {
        long[] bucket = buckets.computeIfAbsent(userId, u -> new long[] {BURST, nowNanos});
        long refilled = (nowNanos - bucket[1]) / REFILL.toNanos();
        if (refilled > 0) {
            bucket[0] = Math.min(BURST, bucket[0] + refilled);
            bucket[1] += refilled * REFILL.toNanos();
        }
        if (bucket[0] == 0) {
            return false;
        }
        bucket[0]--;
        return true;
    }
}
