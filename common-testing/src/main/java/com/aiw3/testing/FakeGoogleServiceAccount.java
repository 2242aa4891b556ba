package com.aiw3.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A Google service-account key file whose token endpoint is a local stub: firebase-admin then runs its
 * real OAuth flow (a signed JWT exchanged for an access token) against the stub instead of Google.
 */
public final class FakeGoogleServiceAccount {

    private FakeGoogleServiceAccount() {}

    /** Writes the key file (a fresh RSA key) and returns its path; deleted when the JVM exits. */
    public static String write(String tokenUri, String projectId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes())
                            .encodeToString(
                                    generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            String json = """
                    {"type":"service_account","project_id":"%s","private_key_id":"test-key","private_key":"%s",
                     "client_email":"fcm@%s.iam.gserviceaccount.com","client_id":"1","token_uri":"%s"}""".formatted(projectId, pem.replace("\n", "\\n"), projectId, tokenUri);
            Path file = Files.createTempFile("fcm-service-account", ".json");
            Files.writeString(file, json);
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
