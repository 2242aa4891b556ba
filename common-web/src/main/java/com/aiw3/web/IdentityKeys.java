package com.aiw3.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * A fresh identity key pair, as the configuration takes it. The local run and the tests make one at start,
 * so no development key is ever written down; for a deployment, {@link #main} prints one for the secrets.
 *
 * @param signingKey       the private JWK: api-gateway's {@code aiw3.identity.signing-key}
 * @param verificationKeys the public JWK set: every service's {@code aiw3.identity.verification-keys}
 */
public record IdentityKeys(String signingKey, String verificationKeys) {

    public static IdentityKeys generate(String keyId) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
            return new IdentityKeys(key.toJSONString(), new JWKSet(key.toPublicJWK()).toString(true));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    /** Prints a new pair: the first line for the gateway's secret, the second for the services'. */
    public static void main(String[] args) {
        IdentityKeys keys = generate(args.length > 0 ? args[0] : "aiw3-identity-" + java.time.LocalDate.now());
        System.out.println(keys.signingKey());
        System.out.println(keys.verificationKeys());
    }
}
