package com.aiw3.sse;

import com.aiw3.testing.ServiceProbes;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1"
        })
@EmbeddedKafka(partitions = 1)
class SseGatewayApplicationIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void startsAndAnswersProbesAndMetrics() {
        ServiceProbes.assertOperable(port);
    }
}
