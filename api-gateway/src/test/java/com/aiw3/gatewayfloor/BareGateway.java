package com.aiw3.gatewayfloor;

import io.netty.channel.ChannelOption;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Spring Cloud Gateway's own cost per proxied request: the same Spring Cloud Gateway and Reactor Netty as the
 * api-gateway, on the same sockets settings (one event loop per CPU, TCP_NODELAY both ways), with one route
 * ({@code Path=/**}) and no route filters, no security chain, no metrics or tracing observations, no Redis.
 * What the api-gateway spends above it is what its own filters add.
 *
 * <p>{@code java -cp <api-gateway test classpath> com.aiw3.gatewayfloor.BareGateway --server.port=P
 * --aiw3.floor.downstream=http://127.0.0.1:Q}
 */
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
            "com.aiw3.messaging.kafka.KafkaConventionsAutoConfiguration",
            "com.aiw3.messaging.outbox.OutboxAutoConfiguration",
            "com.aiw3.messaging.inbox.InboxAutoConfiguration",
            "com.aiw3.web.CallerWebAutoConfiguration",
            "com.aiw3.web.ProblemWebAutoConfiguration",
            "com.aiw3.web.ApiDocumentAutoConfiguration",
            "com.aiw3.web.AdmissionAutoConfiguration"
        })
public class BareGateway {

    public static void main(String[] args) {
        if (System.getProperty("reactor.netty.ioWorkerCount") == null) {
            System.setProperty(
                    "reactor.netty.ioWorkerCount",
                    String.valueOf(Runtime.getRuntime().availableProcessors()));
        }
        // Not the api-gateway's application.yml, which is on the same classpath: its routes have its filters.
        System.setProperty("spring.config.name", "bare-gateway");
        SpringApplication application = new SpringApplication(BareGateway.class);
        application.setDefaultProperties(java.util.Map.of(
                "spring.cloud.gateway.server.webflux.routes[0].id", "floor",
                "spring.cloud.gateway.server.webflux.routes[0].uri", "${aiw3.floor.downstream}",
                "spring.cloud.gateway.server.webflux.routes[0].predicates[0]", "Path=/**",
                "spring.cloud.gateway.server.webflux.observability.enabled", "false",
                "spring.cloud.gateway.server.webflux.httpclient.connect-timeout", "2000",
                "spring.cloud.gateway.server.webflux.httpclient.response-timeout", "10s",
                "management.tracing.enabled", "false",
                "management.observations.enable.http.server.requests", "false"));
        application.run(args);
    }

    @Bean
    NettyServerCustomizer noDelayServer() {
        return server -> server.childOption(ChannelOption.TCP_NODELAY, true);
    }

    @Bean
    HttpClientCustomizer noDelayClient() {
        return client -> client.option(ChannelOption.TCP_NODELAY, true);
    }
}
