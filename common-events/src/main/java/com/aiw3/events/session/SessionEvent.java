package com.aiw3.events.session;

import com.aiw3.events.EventPayload;
import com.aiw3.events.EventSchema;
import java.time.Instant;

/**
 * The end of a user's sign-in before its token's own expiry (topic {@code session-revocations}, keyed by
 * user). api-gateway refuses the session's token from then on; sse-gateway ends the session's open streams.
 */
public sealed interface SessionEvent extends EventPayload {

    String userId();

    @Override
    default String partitionKey() {
        return userId();
    }

    /**
     * @param userId    the user who signed out
     * @param sessionId the sign-in that ended (the session id api-gateway signs into the caller's identity)
     * @param expiresAt when the session's token would have expired: the revocation holds until then
     * @param at        when the user signed out
     */
    @EventSchema(summary = "A user signed out: the session's token is refused and its open streams end.")
    record SessionRevoked(String userId, String sessionId, Instant expiresAt, Instant at) implements SessionEvent {}
}
