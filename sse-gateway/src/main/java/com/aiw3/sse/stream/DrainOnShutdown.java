package com.aiw3.sse.stream;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown, ends every stream before the web server stops: browsers reconnect at once (to another
 * instance behind the balancer) and resume with Last-Event-ID.
 */
@Component
class DrainOnShutdown implements SmartLifecycle {

    private final Streams streams;
    private volatile boolean running;

    DrainOnShutdown(Streams streams) {
        this.streams = streams;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        streams.drain();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown phase, which would otherwise wait on open streams. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
