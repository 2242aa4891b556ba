package com.aiw3.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.springframework.core.io.Resource;

/**
 * The local profile's RSA key: it signs development tokens and validates them. Publicly known by design
 * (it is in the repository); production validates against the identity provider's JWKS instead.
 */
public record DevSigningKey(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {

    public static DevSigningKey load(Resource pem) {
        try {
            String text = pem.getContentAsString(StandardCharsets.US_ASCII)
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            var privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
            var publicKey = (RSAPublicKey)
                    rsa.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return new DevSigningKey(privateKey, publicKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dev signing key " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the dev signing key is not a PKCS#8 RSA key", e);
        }
    }
}
