package com.aiw3.web;

import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every service behind api-gateway: one {@link IdentityVerifier} from {@code aiw3.identity.verification-keys}
 * (a service without them does not start), and {@link Caller} as a controller parameter, checked by it, in
 * servlet and reactive services alike. Servlet services also answer an unreachable database with a 503
 * problem. Not in api-gateway, which signs identities ({@link IdentitySigner}) instead.
 */
@AutoConfiguration
@ConditionalOnWebApplication
@ConditionalOnMissingBean(IdentitySigner.class)
@EnableConfigurationProperties(IdentityProperties.class)
public class CallerWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IdentityVerifier identityVerifier(IdentityProperties properties) {
        return IdentityVerifier.fromJwkSet(
                properties.verificationKeys(), properties.verifiedIdentities(), Clock.systemUTC());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class Servlet implements WebMvcConfigurer {

        private final IdentityVerifier verifier;

        Servlet(IdentityVerifier verifier) {
            this.verifier = verifier;
        }

        @Override
        public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
            resolvers.add(new CallerArgumentResolver(verifier));
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(DataAccessException.class)
        static class DatabaseProblems {

            @Bean
            UnavailableDatabaseAdvice unavailableDatabaseAdvice() {
                return new UnavailableDatabaseAdvice();
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class Reactive implements WebFluxConfigurer {

        private final IdentityVerifier verifier;

        Reactive(IdentityVerifier verifier) {
            this.verifier = verifier;
        }

        @Override
        public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
            configurer.addCustomResolver(new ReactiveCallerArgumentResolver(verifier));
        }
    }
}
