package com.aiw3.sse;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SseGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(SseGatewayApplication.class, args);
    }
}
