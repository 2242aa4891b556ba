package com.aiw3.local;

import com.aiw3.web.IdentityKeys;
import java.nio.file.Path;
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

    public Path jar(Path repo) {
        return repo.resolve(name).resolve("target").resolve(name + "-0.1.0-SNAPSHOT.jar");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }
}
