package com.aiw3.notification.channel;

import java.util.Map;

/** One message for one recipient on one channel, rendered from the notification. */
public record Outgoing(
        String recipient, String title, String body, String template, String locale, Map<String, String> data) {

    public Outgoing {
        data = Map.copyOf(data);
    }
}
