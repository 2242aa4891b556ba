package com.aiw3.upgrade;

import com.aiw3.testing.OperableServiceTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1"
        })
@EmbeddedKafka(partitions = 1)
class UpgradeServiceApplicationIntegrationTest extends OperableServiceTest {}
