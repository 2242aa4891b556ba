package com.aiw3.notification;

import com.aiw3.testing.ServiceProbes;
import com.aiw3.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1"
        })
@EmbeddedKafka(partitions = 1)
class NotificationServiceApplicationIntegrationTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "notification");
    }

    @LocalServerPort
    int port;

    @Test
    void startsAndAnswersProbesAndMetrics() {
        ServiceProbes.assertOperable(port);
    }
}
