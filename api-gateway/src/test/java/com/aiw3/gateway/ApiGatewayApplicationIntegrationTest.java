package com.aiw3.gateway;

import com.aiw3.testing.ServiceProbes;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiGatewayApplicationIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void startsAndAnswersProbesAndMetrics() {
        ServiceProbes.assertOperable(port);
    }
}
