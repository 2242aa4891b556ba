package com.aiw3.events.realtime;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The categories of real-time events; clients may filter on them. */
public enum EventCategory {
    NFT,
    TRADING,
    SOCIAL,
    SYSTEM;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
