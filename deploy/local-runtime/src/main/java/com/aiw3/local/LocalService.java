package com.aiw3.local;

import com.aiw3.web.IdentityKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** One service of the suite as the local run (and the system tests) start it. */
public record LocalService(String name, int port, boolean usesDatabase) {

    /** Every service, in start order; ports are the documented fixed local ports. */
    public static final List<LocalService> ALL = List.of(
            new LocalService("upgrade-service", 8081, true),
            new LocalService("sse-gateway", 8082, false),
            new LocalService("notification-service", 8083, true),
            new LocalService("analytics-service", 8084, true),
            new LocalService("audit-service", 8085, true),
            new LocalService("api-gateway", 8080, false));

    /**
     * The identity keys this service is given: api-gateway the private key it signs callers with, every other
     * service the public key it verifies them with. The local run and the system tests make a new pair at
     * start ({@link IdentityKeys#generate}), so no development key is written down anywhere.
     */
    public Map<String, String> identityEnv(IdentityKeys keys) {
        return name.equals("api-gateway")
                ? Map.of("AIW3_IDENTITY_SIGNINGKEY", keys.signingKey())
                : Map.of("AIW3_IDENTITY_VERIFICATIONKEYS", keys.verificationKeys());
    }

    /** Where the local run keeps its dev token key, under its work directory. */
    public static final String DEV_TOKEN_KEY_FILE = "jwt-dev-signing-key.pem";

    /**
     * api-gateway's dev tokens ({@code POST /dev/token}): enabled, signed with {@code work/}{@value #DEV_TOKEN_KEY_FILE}.
     * The key is generated on the first run and kept, so tokens stay valid across restarts; it is never part of a
     * jar. Every other service gets nothing.
     */
    public Map<String, String> devTokenEnv(Path work) {
        if (!name.equals("api-gateway")) {
            return Map.of();
        }
        Path key = devTokenKey(work);
        return Map.of(
                "AIW3_GATEWAY_JWT_DEVTOKENS_ENABLED", "true",
                "AIW3_GATEWAY_JWT_DEVTOKENS_SIGNINGKEY", "file:" + key.toAbsolutePath(),
                "AIW3_GATEWAY_JWT_DEVTOKENS_TTL", "8h");
    }

    /** The dev token key in {@code work}: made once (RSA 2048, PKCS#8 PEM, owner-readable only), then reused. */
    static synchronized Path devTokenKey(Path work) {
        Path key = work.resolve(DEV_TOKEN_KEY_FILE);
        if (Files.exists(key)) {
            return key;
        }
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'})
                            .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.createDirectories(work);
            Path partial = Files.createTempFile(work, "jwt-dev-signing-key", ".tmp");
            try {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // The file system has no POSIX permissions; the work directory is the user's own.
            }
            Files.writeString(partial, pem, StandardCharsets.US_ASCII);
            Files.move(partial, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dev token key " + key, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path jar(Path repo) {
        return repo.resolve(name).resolve("target").resolve(name + "-0.1.0-SNAPSHOT.jar");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }
}
