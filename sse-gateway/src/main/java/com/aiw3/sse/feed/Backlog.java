package com.aiw3.sse.feed;

/**
 * How far live deliveries may run ahead of the connections writing them. The feed waits for room before
 * it hands on the next event, so under overload the backlog stays in Kafka (which is made for it) rather
 * than growing in this instance's memory until it runs out.
 */
public interface Backlog {

    /** Returns once there is room for another event's deliveries. */
    void awaitRoom() throws InterruptedException;

    /**
     * The event just appended has reached every listener it concerns: what they set aside for the
     * connections may go to them now. Called on the feed's thread after each append, also after one that
     * failed.
     */
    void handOver();
}
