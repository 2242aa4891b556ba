package com.aiw3.events.notification;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How urgent a notification is; for an offline user it picks the channels and their order. */
public enum Priority {
    /** Offline: SMS. */
    HIGH,
    /** Offline: push notification. */
    MEDIUM,
    /** Offline: email. */
    LOW;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
