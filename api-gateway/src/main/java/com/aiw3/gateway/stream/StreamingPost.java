package com.aiw3.gateway.stream;

import com.aiw3.gateway.GatewayProperties;
import com.aiw3.gateway.auth.InternalIdentities;
import com.aiw3.web.Problems;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/nft/upgrade} and {@code POST /api/v1/nft/claim} with {@code Accept: text/event-stream}
 * (the frontend contract): the gateway creates the upgrade (the claim) at upgrade-service, then streams its
 * events from sse-gateway on the same response (same statuses as {@code GET /api/v1/nft/upgrade/{id}/events},
 * {@code GET /api/v1/nft/claims/{id}/events}). Without that Accept header the POST is routed as plain JSON.
 */
@Configuration(proxyBeanMethods = false)
class StreamingPost {

    /** A process the gateway creates and streams: where it is created, its id's field, its stream, its header. */
    private record Process(String createPath, String idField, String eventsPath, String idHeader) {}

    private static final Process UPGRADE =
            new Process("/api/v1/nft/upgrade", "upgradeId", "/api/v1/nft/upgrade/{id}/events", "X-Upgrade-Id");
    private static final Process CLAIM =
            new Process("/api/v1/nft/claim", "claimId", "/api/v1/nft/claims/{id}/events", "X-Claim-Id");

    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(10);

    /** Only an explicit text/event-stream: a client sending {@code *}/{@code *} wants JSON. */
    private static final RequestPredicate WANTS_STREAM = request -> request.headers().accept().stream()
            .anyMatch(type -> type.equalsTypeAndSubtype(MediaType.TEXT_EVENT_STREAM));

    @Bean
    RouterFunction<ServerResponse> streamingPostRoutes(
            GatewayProperties properties,
            InternalIdentities identities,
            StreamsPool.StreamsClient streamsPool,
            ObjectProvider<ReactorLoadBalancerExchangeFilterFunction> balancer,
            ObjectProvider<ObservationRegistry> observations) {
        // Observed: both calls are in http.client.requests and carry the request's trace to the services.
        ObservationRegistry registry = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
        WebClient upgrades = WebClient.builder()
                .baseUrl(properties.downstream().upgradeService().toString())
                .observationRegistry(registry)
                .build();
        // The stream holds its connection for as long as the process runs: from the streams pool.
        WebClient.Builder streams = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(streamsPool.httpClient()))
                .observationRegistry(registry);
        URI sseGateway = properties.downstream().sseGateway();
        if ("lb".equals(sseGateway.getScheme())) {
            // lb://sse-gateway: each stream goes to one of the ready instances, as the stream routes do.
            streams.baseUrl("http://" + sseGateway.getHost()).filter(balancer.getObject());
        } else {
            streams.baseUrl(sseGateway.toString());
        }
        return routes(identities, upgrades, streams.build());
    }

    private static RouterFunction<ServerResponse> routes(
            InternalIdentities identities, WebClient upgrades, WebClient streams) {
        return RouterFunctions.route(
                        RequestPredicates.POST("/api/v1/nft/upgrade")
                                .or(RequestPredicates.POST("/api/nft/upgrade"))
                                .and(WANTS_STREAM),
                        request -> handle(UPGRADE, request, upgrades, streams, identities))
                .andRoute(
                        RequestPredicates.POST("/api/v1/nft/claim").and(WANTS_STREAM),
                        request -> handle(CLAIM, request, upgrades, streams, identities));
    }

    private static Mono<ServerResponse> handle(
            Process process,
            ServerRequest request,
            WebClient upgrades,
            WebClient streams,
            InternalIdentities identities) {
        return request.principal()
                .cast(JwtAuthenticationToken.class)
                .flatMap(auth -> request.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .flatMap(body -> create(process, request, auth, body, upgrades, streams, identities)));
    }

    private static Mono<ServerResponse> create(
            Process process,
            ServerRequest request,
            JwtAuthenticationToken auth,
            byte[] body,
            WebClient upgrades,
            WebClient streams,
            InternalIdentities identities) {
        return upgrades.post()
                .uri(process.createPath())
                .headers(headers -> {
                    identities.apply(auth.getToken(), headers);
                    headers.setContentType(request.headers().contentType().orElse(MediaType.APPLICATION_JSON));
                    request.headers().header("Idempotency-Key").forEach(key -> headers.add("Idempotency-Key", key));
                })
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(created -> {
                    if (!created.statusCode().is2xxSuccessful()) {
                        // The service's own problem (400, 409 ...) goes back as it is: nothing to stream.
                        return created.bodyToMono(byte[].class)
                                .defaultIfEmpty(new byte[0])
                                .flatMap(problem -> ServerResponse.status(created.statusCode())
                                        .headers(h -> h.setContentType(created.headers()
                                                .contentType()
                                                .orElse(MediaType.APPLICATION_PROBLEM_JSON)))
                                        .bodyValue(problem));
                    }
                    return created.bodyToMono(Map.class)
                            .flatMap(answer -> stream(process, answer, auth, streams, identities));
                })
                .timeout(CREATE_TIMEOUT)
                .onErrorMap(
                        WebClientRequestException.class,
                        e -> Problems.of(
                                HttpStatus.SERVICE_UNAVAILABLE, "upgrade-service is unavailable; try again shortly"))
                .onErrorMap(
                        java.util.concurrent.TimeoutException.class,
                        e -> Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "upgrade-service did not answer in time"));
    }

    private static Mono<ServerResponse> stream(
            Process process,
            Map<?, ?> answer,
            JwtAuthenticationToken auth,
            WebClient streams,
            InternalIdentities identities) {
        Object id = answer.get(process.idField());
        if (id == null) {
            return Mono.error(
                    Problems.of(HttpStatus.BAD_GATEWAY, "upgrade-service answered without an " + process.idField()));
        }
        Flux<DataBuffer> events = streams.get()
                .uri(process.eventsPath(), id)
                .headers(headers -> identities.apply(auth.getToken(), headers))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(DataBuffer.class);
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header(process.idHeader(), id.toString())
                .body(BodyInserters.fromDataBuffers(events));
    }
}
