package com.aiw3.web;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The authenticated caller of a request. Declare it as a controller parameter; a request without a
 * caller is answered 401 before the controller runs.
 *
 * @param userId the user id (JWT subject)
 * @param wallet the wallet address, if any
 * @param roles  the caller's roles
 */
public record Caller(String userId, Optional<String> wallet, Set<String> roles) {

    public static final String OPERATOR = "operator";

    public Caller {
        roles = Set.copyOf(roles);
    }

    /**
     * The caller from the identity headers' values; a missing or blank user id is answered 401. Used by
     * servlet controllers (through the argument resolver) and reactive handlers alike.
     */
    public static Caller fromHeaders(String userId, String wallet, String roles) {
        if (userId == null || userId.isBlank()) {
            throw new UnauthenticatedException();
        }
        Set<String> parsed = roles == null
                ? Set.of()
                : Arrays.stream(roles.split(","))
                        .map(String::trim)
                        .filter(r -> !r.isEmpty())
                        .collect(Collectors.toSet());
        return new Caller(userId.trim(), Optional.ofNullable(wallet).filter(w -> !w.isBlank()), parsed);
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
