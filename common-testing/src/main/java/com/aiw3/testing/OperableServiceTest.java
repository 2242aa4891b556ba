package com.aiw3.testing;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The deployability check every service passes: it starts against real infrastructure and answers the
 * probes and metrics Kubernetes and Prometheus use. A subclass adds {@code @SpringBootTest} (random port)
 * and, where the service consumes Kafka, {@code @EmbeddedKafka}.
 */
public abstract class OperableServiceTest {

    /** A fresh schema; ignored by services without a database. */
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "service");
    }

    @LocalServerPort
    protected int port;

    @Test
    void startsAndAnswersProbesAndMetrics() {
        ServiceProbes.assertOperable(port);
    }
}
