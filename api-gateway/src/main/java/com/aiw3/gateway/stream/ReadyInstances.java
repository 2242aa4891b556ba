package com.aiw3.gateway.stream;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The instances of {@link StreamsBalancing#SERVICE} that answer their readiness probe. Neither a
 * {@code @Configuration} nor nested in one: Spring Cloud LoadBalancer builds it in the service's own child context,
 * not in the application's.
 */
class ReadyInstances {

    @Bean
    ServiceInstanceListSupplier readyServiceInstances(ConfigurableApplicationContext context) {
        return ServiceInstanceListSupplier.builder()
                .withDiscoveryClient()
                .withHealthChecks(WebClient.create())
                .build(context);
    }
}
