package com.aiw3.web;

/**
 * Headers api-gateway sets after validating the caller's token. The gateway strips any copies a client
 * sends, and only the gateway can reach the services (NetworkPolicy), so services trust them.
 */
public final class IdentityHeaders {

    /** The JWT subject: the user id. */
    public static final String USER_ID = "X-AIW3-User-Id";
    /** The user's Solana wallet address (base58), when the token carries one. */
    public static final String WALLET = "X-AIW3-Wallet";
    /** Comma-separated roles, e.g. {@code user,operator}. */
    public static final String ROLES = "X-AIW3-Roles";

    private IdentityHeaders() {}
}
