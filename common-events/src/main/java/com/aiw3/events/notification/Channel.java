package com.aiw3.events.notification;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a notification was delivered: the real-time stream first, a third party only when offline. */
public enum Channel {
    REALTIME,
    PUSH,
    EMAIL,
    SMS;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
