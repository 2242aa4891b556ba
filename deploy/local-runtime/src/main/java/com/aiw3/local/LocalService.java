package com.aiw3.local;

import java.nio.file.Path;
import java.util.List;

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

    public Path jar(Path repo) {
        return repo.resolve(name).resolve("target").resolve(name + "-0.1.0-SNAPSHOT.jar");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }
}
