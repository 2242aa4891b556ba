package com.aiw3.events;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UUIDv7 event ids (RFC 9562): time-ordered, so ids sort by creation time and index well.
 *
 * <p>Within one millisecond a 12-bit counter keeps ids from one process strictly increasing.
 */
public final class EventIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Packs (millis << 12 | counter); compare-and-set keeps it monotonic across threads. */
    private static final AtomicLong LAST = new AtomicLong();

    private EventIds() {}

    public static UUID next() {
        long stamp = LAST.updateAndGet(previous -> {
            long now = System.currentTimeMillis() << 12;
            return now > previous ? now : previous + 1;
        });
        long millis = stamp >>> 12;
        long counter = stamp & 0xFFF;
        long msb = (millis << 16) | 0x7000L | counter;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** The creation time in epoch milliseconds carried by a UUIDv7. */
    public static long timestampOf(UUID v7) {
        if (v7.version() != 7) {
            throw new IllegalArgumentException("not a UUIDv7: " + v7);
        }
        return v7.getMostSignificantBits() >>> 16;
    }

    /**
     * A deterministic id for an effect of a cause (for example the notification implied by one upgrade
     * event): the same inputs give the same id, so a redelivered cause cannot create a second effect.
     */
    public static UUID derived(String namespace, Object... parts) {
        StringBuilder name = new StringBuilder(namespace);
        for (Object part : parts) {
            name.append('|').append(part);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
