package com.aiw3.gateway.stream;

import com.aiw3.gateway.GatewayProperties;
import java.util.List;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The {@value #POOL} connection pool: every event stream's connection to sse-gateway comes from it (routes with
 * the metadata {@value #ROUTE_METADATA}{@code : true}, and the streaming upgrade), sized by
 * {@code aiw3.gateway.streaming.max-connections}. A stream holds its connection for as long as it lasts; in the
 * pool every other route shares they would starve the REST calls. Configured like that pool otherwise (timeouts,
 * TLS, TCP_NODELAY).
 */
@Configuration(proxyBeanMethods = false)
class StreamsPool {

    static final String POOL = "gateway-streams";
    static final String ROUTE_METADATA = "streams-pool";

    /**
     * A free slot is nearly always there: the gateway admits no more streams than the pool holds. This bounds
     * the wait for one whose stream just ended while its connection is still being closed.
     */
    private static final long ACQUIRE_TIMEOUT_MILLIS = 5_000;

    @Bean
    StreamsClient streamsClient(
            GatewayProperties properties,
            HttpClientProperties shared,
            ServerProperties server,
            HttpClientSslConfigurer ssl,
            ObjectProvider<HttpClientCustomizer> customizers) {
        HttpClientProperties own = new HttpClientProperties();
        BeanUtils.copyProperties(shared, own);
        HttpClientProperties.Pool pool = new HttpClientProperties.Pool();
        pool.setName(POOL);
        pool.setType(HttpClientProperties.Pool.PoolType.FIXED);
        pool.setMaxConnections(properties.streaming().maxConnections());
        pool.setAcquireTimeout(ACQUIRE_TIMEOUT_MILLIS);
        own.setPool(pool);
        HttpClientFactory factory = new HttpClientFactory(
                own,
                server,
                ssl,
                new java.util.ArrayList<>(customizers.orderedStream().toList()));
        factory.setSingleton(false);
        try {
            return new StreamsClient(factory.getObject());
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the " + POOL + " HTTP client", e);
        }
    }

    /**
     * Routes the stream routes through the streams pool, just before the gateway's own routing filter (which
     * then sees the exchange routed and passes). The same routing otherwise: headers filters, timeouts.
     */
    @Bean
    GlobalFilter streamsRoutingFilter(
            StreamsClient streams,
            ObjectProvider<List<HttpHeadersFilter>> headersFilters,
            HttpClientProperties shared) {
        NettyRoutingFilter routing = new NettyRoutingFilter(streams.httpClient(), headersFilters, shared);
        return new StreamsRouting(routing);
    }

    /** The HTTP client of the {@value #POOL} pool (not an {@link HttpClient} bean: that is the shared one). */
    record StreamsClient(HttpClient httpClient) {}

    private record StreamsRouting(NettyRoutingFilter routing) implements GlobalFilter, Ordered {

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
            Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
            if (route != null
                    && "true".equals(String.valueOf(route.getMetadata().get(ROUTE_METADATA)))) {
                return routing.filter(exchange, chain);
            }
            return chain.filter(exchange);
        }

        @Override
        public int getOrder() {
            return NettyRoutingFilter.ORDER - 1;
        }
    }
}
