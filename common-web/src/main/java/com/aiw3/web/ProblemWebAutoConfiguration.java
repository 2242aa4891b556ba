package com.aiw3.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Installs {@link ServerErrorProblems} in every servlet service, before Spring Boot's own problem handler
 * (which then backs off), so no service's 5xx answer carries an exception's text.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler")
public class ProblemWebAutoConfiguration {

    @Bean
    ServerErrorProblems serverErrorProblems() {
        return new ServerErrorProblems();
    }
}
