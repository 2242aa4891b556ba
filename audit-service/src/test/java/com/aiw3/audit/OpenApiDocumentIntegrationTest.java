package com.aiw3.audit;

import com.aiw3.testing.OpenApiReference;
import com.aiw3.testing.TestPostgres;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * docs/reference/openapi/audit-service.json is what the service serves at {@code /v3/api-docs}: every answer
 * with its status and media type, every refusal as {@code application/problem+json}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1"
        })
@EmbeddedKafka(partitions = 1)
class OpenApiDocumentIntegrationTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "audit");
    }

    @LocalServerPort
    int port;

    @Test
    void theCheckedInOpenApiDocumentIsTheServedOne() throws IOException {
        OpenApiReference.assertServedDocumentIsCurrent("audit-service", port, OpenApiDocumentIntegrationTest.class);
    }
}
