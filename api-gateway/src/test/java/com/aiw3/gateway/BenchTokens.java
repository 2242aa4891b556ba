package com.aiw3.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The benchmarks' callers: 64 users' tokens handed out in turn. Tokens live 10 minutes and a run may be longer,
 * so they are made again every five.
 */
final class BenchTokens {

    private static final Duration RENEW = Duration.ofMinutes(5);

    private final AtomicInteger next = new AtomicInteger();
    private volatile List<String> tokens = List.of();
    private volatile long madeAt;

    String next() {
        if (System.nanoTime() - madeAt > RENEW.toNanos()) {
            synchronized (this) {
                if (System.nanoTime() - madeAt > RENEW.toNanos()) {
                    tokens = IntStream.range(0, 64)
                            .mapToObj(i -> Tokens.valid("bench-user-" + i, "user"))
                            .toList();
                    madeAt = System.nanoTime();
                }
            }
        }
        List<String> current = tokens;
        return current.get(Math.floorMod(next.getAndIncrement(), current.size()));
    }
}
