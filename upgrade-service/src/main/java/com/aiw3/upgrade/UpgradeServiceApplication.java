package com.aiw3.upgrade;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class UpgradeServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(UpgradeServiceApplication.class, args);
    }
}
