package com.aiw3.events.presence;

import com.aiw3.events.EventPayload;
import com.aiw3.events.EventSchema;
import java.time.Instant;

/**
 * Which users have the app open, per SSE gateway instance (topic {@code user-presence}, keyed by user).
 * A user is online while any instance reports them online.
 */
public sealed interface PresenceEvent extends EventPayload {

    String userId();

    String instanceId();

    @Override
    default String partitionKey() {
        return userId();
    }

    @EventSchema(summary = "A user opened their first stream on a gateway instance.")
    record UserCameOnline(String userId, String instanceId, int openStreams, Instant since) implements PresenceEvent {}

    @EventSchema(summary = "A user's last stream on a gateway instance closed.")
    record UserWentOffline(String userId, String instanceId, Instant since) implements PresenceEvent {}
}
