package com.aiw3.web;

/**
 * The shape of the signed identity both sides agree on: an ES256 JWT of type {@value #TYPE}, issued by
 * {@value #ISSUER} for audience {@value #AUDIENCE}, with the user ({@code sub}), {@code wallet},
 * {@code roles}, the session id ({@code sid}) and the user's access token's expiry ({@value #TOKEN_EXPIRY}),
 * and its own short {@code exp}.
 */
final class SignedIdentity {

    static final String ISSUER = "aiw3-api-gateway";
    static final String AUDIENCE = "aiw3-internal";
    static final String TYPE = "aiw3-identity+jwt";

    static final String WALLET = "wallet";
    static final String ROLES = "roles";
    static final String SESSION = "sid";
    static final String TOKEN_EXPIRY = "token_exp";

    /** Longer header values are refused unread: a real one is well under a kilobyte. */
    static final int MAX_LENGTH = 4096;

    private SignedIdentity() {}
}
