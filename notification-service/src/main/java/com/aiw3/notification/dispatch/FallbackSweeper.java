package com.aiw3.notification.dispatch;

import com.aiw3.notification.NotificationProperties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The race's other half: a real-time event not confirmed within the window falls back to a third
 * party, and so does a notification held for an offline user once its delay ends; a dispatch whose
 * instance stopped is taken over. Three indexed queries per sweep.
 */
@Component
class FallbackSweeper {

    private static final Logger log = LoggerFactory.getLogger(FallbackSweeper.class);
    private static final int BATCH = 100;

    private final NotificationStore store;
    private final NotificationRouter router;
    private final Dispatcher dispatcher;
    private final NotificationProperties properties;

    FallbackSweeper(
            NotificationStore store,
            NotificationRouter router,
            Dispatcher dispatcher,
            NotificationProperties properties) {
        this.store = store;
        this.router = router;
        this.dispatcher = dispatcher;
        this.properties = properties;
    }

    @Scheduled(initialDelay = 1000, fixedDelayString = "${aiw3.notification.sweep-interval:1s}")
    void sweep() {
        try {
            for (UUID id : store.expiredRealtime(BATCH)) {
                router.fallBack(id);
            }
            for (UUID id : store.dueHeld(BATCH)) {
                router.release(id);
            }
            for (UUID id : store.stalled(properties.stalledDispatch(), BATCH)) {
                dispatcher.dispatch(id);
            }
            store.forgetConfirmations(properties.realtimeConfirmWindow().multipliedBy(60));
        } catch (RuntimeException e) {
            log.warn("sweep failed; the next one retries: {}", e.getMessage());
        }
    }
}
