package com.aiw3.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The in-flight limit of every servlet service ({@link AdmissionFilter}), placed right after the HTTP
 * observation filter so refusals still count in {@code http.server.requests}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnProperty(prefix = "aiw3.web.admission", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(AdmissionProperties.class)
public class AdmissionAutoConfiguration {

    @Bean
    FilterRegistrationBean<AdmissionFilter> admissionFilter(
            AdmissionProperties properties, ObjectProvider<MeterRegistry> meters) {
        FilterRegistrationBean<AdmissionFilter> registration = new FilterRegistrationBean<>(
                new AdmissionFilter(properties, meters.getIfAvailable(SimpleMeterRegistry::new)));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        registration.setName("admissionFilter");
        return registration;
    }
}
