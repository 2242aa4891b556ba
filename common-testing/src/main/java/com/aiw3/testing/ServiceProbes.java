package com.aiw3.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What every deployable service must answer, checked the way Kubernetes and Prometheus will ask. */
public final class ServiceProbes {

    private ServiceProbes() {}

    /** Liveness and readiness groups are UP, and Prometheus metrics include the JVM and HTTP server. */
    public static void assertOperable(int port) {
        assertThat(get(port, "/actuator/health/liveness")).contains("\"status\":\"UP\"");
        assertThat(get(port, "/actuator/health/readiness")).contains("\"status\":\"UP\"");
        assertThat(get(port, "/actuator/prometheus"))
                .contains("jvm_memory_used_bytes")
                .contains("application=");
    }

    public static String get(int port, String path) {
        HttpResponse<String> response =
                TestHttp.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }
}
