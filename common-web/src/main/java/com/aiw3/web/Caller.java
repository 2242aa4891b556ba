package com.aiw3.web;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The authenticated caller of a request, as api-gateway signed it ({@link IdentityVerifier}). Declare it as
 * a controller parameter; a request without a valid signed identity is answered 401 before the controller
 * runs.
 *
 * @param userId    the user id (the access token's subject)
 * @param wallet    the wallet address, if any
 * @param roles     the caller's roles
 * @param expiresAt when the user's access token expires: nothing done for this caller may outlive it
 * @param sessionId the sign-in this request belongs to (the token's {@code sid}, else derived from the token)
 */
public record Caller(String userId, Optional<String> wallet, Set<String> roles, Instant expiresAt, String sessionId) {

    public static final String OPERATOR = "operator";

    public Caller {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(wallet, "wallet");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(sessionId, "sessionId");
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Answers 403 unless the caller has the role. */
    public Caller requireRole(String role) {
        if (!hasRole(role)) {
            throw new AccessDeniedException("this needs the '" + role + "' role");
        }
        return this;
    }
}
