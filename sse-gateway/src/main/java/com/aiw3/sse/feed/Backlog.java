package com.aiw3.sse.feed;

/**
 * How far live deliveries may run ahead of the connections writing them. The feed waits for room before
 * it hands on the next event, so under overload the backlog stays in Kafka (which is made for it) rather
 * than growing in this instance's memory until it runs out.
 */
public interface Backlog {

    /** Returns once there is room for another event's deliveries. */
    void awaitRoom() throws InterruptedException;
}
