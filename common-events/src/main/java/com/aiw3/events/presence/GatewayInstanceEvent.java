package com.aiw3.events.presence;

import com.aiw3.events.EventPayload;
import com.aiw3.events.EventSchema;
import java.time.Instant;

/**
 * The liveness of SSE gateway instances (topic {@code sse-gateway-instances}, keyed by instance). Presence
 * reports hold only while the instance that made them is alive: an instance killed without closing its
 * streams sends no {@link PresenceEvent.UserWentOffline}, and its lease running out is what ends its
 * users' presence.
 */
public sealed interface GatewayInstanceEvent extends EventPayload {

    String instanceId();

    @Override
    default String partitionKey() {
        return instanceId();
    }

    /**
     * @param startedAt    when this run of the instance started: a newer one means every presence the
     *                     instance reported before it is void (it restarted under the same id)
     * @param at           when the instance sent this
     * @param leaseSeconds how long after {@code at} the instance counts as alive without another heartbeat
     */
    @EventSchema(summary = "An SSE gateway instance is alive; its presence reports hold until the lease ends.")
    record GatewayInstanceAlive(String instanceId, Instant startedAt, Instant at, int leaseSeconds)
            implements GatewayInstanceEvent {}
}
