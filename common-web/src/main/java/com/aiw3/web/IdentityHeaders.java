package com.aiw3.web;

/**
 * The one header that carries the caller from api-gateway to the services: a short-lived internal JWT the
 * gateway signs after validating the user's token ({@link IdentitySigner}), which every service checks
 * ({@link IdentityVerifier}) before it believes a word of it. A reachable service port is therefore not
 * enough to act as someone: without the gateway's private key no identity can be made.
 */
public final class IdentityHeaders {

    /** The signed identity: a compact JWS (ES256) with audience {@value SignedIdentity#AUDIENCE}. */
    public static final String IDENTITY = "X-AIW3-Identity";

    private IdentityHeaders() {}
}
