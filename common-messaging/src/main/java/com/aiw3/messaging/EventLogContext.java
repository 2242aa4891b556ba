package com.aiw3.messaging;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.upgrade.UpgradeEvent;
import java.util.List;
import org.slf4j.MDC;

/**
 * The ids of the event being processed, in the logging context (MDC) of the thread that processes it: every
 * log line about it carries {@code eventId}, {@code eventType} and {@code correlationId} (the upgrade id for
 * every event of one upgrade), and {@code upgradeId} for an upgrade's events. Structured (JSON) logs write
 * them as fields; the plain console format leaves them out.
 */
public final class EventLogContext implements AutoCloseable {

    public static final String EVENT_ID = "eventId";
    public static final String EVENT_TYPE = "eventType";
    public static final String CORRELATION_ID = "correlationId";
    public static final String UPGRADE_ID = "upgradeId";

    private static final List<String> KEYS = List.of(EVENT_ID, EVENT_TYPE, CORRELATION_ID, UPGRADE_ID);

    private EventLogContext() {}

    /** Puts the event's ids in the context until {@link #close()}. */
    public static EventLogContext of(EventEnvelope<?> event) {
        MDC.put(EVENT_ID, event.eventId().toString());
        MDC.put(EVENT_TYPE, event.type());
        MDC.put(CORRELATION_ID, event.correlationId().toString());
        if (event.payload() instanceof UpgradeEvent upgrade) {
            MDC.put(UPGRADE_ID, upgrade.upgradeId().toString());
        } else {
            MDC.remove(UPGRADE_ID);
        }
        return new EventLogContext();
    }

    /**
     * The event in a log message, for the plain console format that leaves the context out: {@code <type>
     * <eventId>}, and {@code (upgrade <upgradeId>)} for an upgrade's events.
     */
    public static String describe(EventEnvelope<?> event) {
        String about = event.type() + " " + event.eventId();
        return event.payload() instanceof UpgradeEvent upgrade
                ? about + " (upgrade " + upgrade.upgradeId() + ")"
                : about;
    }

    /** Removes the event's ids from the context. */
    public static void clear() {
        KEYS.forEach(MDC::remove);
    }

    @Override
    public void close() {
        clear();
    }
}
