package com.aiw3.notification.inbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes read and archived items once {@code inbox.settled-retention} has passed since they were read
 * or archived (the per-user cap is kept as notifications arrive). Batches of one indexed delete.
 */
@Component
class InboxRetention {

    private static final Logger log = LoggerFactory.getLogger(InboxRetention.class);
    private static final int BATCH = 1000;

    private final Inbox inbox;

    InboxRetention(Inbox inbox) {
        this.inbox = inbox;
    }

    @Scheduled(initialDelay = 5000, fixedDelayString = "${aiw3.notification.inbox.retention-interval:10m}")
    void sweep() {
        try {
            int removed = inbox.expire(BATCH);
            if (removed > 0) {
                log.info("inbox retention removed {} read or archived notifications", removed);
            }
        } catch (RuntimeException e) {
            log.warn("inbox retention failed; the next sweep retries: {}", e.getMessage());
        }
    }
}
