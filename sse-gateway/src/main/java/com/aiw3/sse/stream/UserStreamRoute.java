package com.aiw3.sse.stream;

import com.aiw3.sse.feed.History;
import com.aiw3.web.Caller;
import com.aiw3.web.IdentityHeaders;
import com.aiw3.web.IdentityVerifier;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/events/stream}, the stream every online user holds, served as a Reactor Netty route
 * ahead of WebFlux. Behind an annotated controller each idle stream kept WebFlux's request chain alive
 * for as long as it was open: operator subscribers, the exchange's attribute map, a binding model and
 * header adapters, about half of the 21 KB of heap an idle connection held (a heap histogram at 10,000
 * streams). The route keeps only the connection and the stream. Same contract as the other streams:
 * the caller from the identity api-gateway signed (checked by common-web's verifier, as every service checks it), resume from {@code Last-Event-ID} (or
 * {@code ?lastEventId=} for a new {@code EventSource}, which cannot set headers; the header wins), and
 * RFC 9457 problems for refusals.
 */
@Configuration(proxyBeanMethods = false)
class UserStreamRoute {

    static final String PATH = "/api/events/stream";

    private static final JsonMapper JSON = JsonMapper.shared();

    @Bean
    NettyRouteProvider userStream(Streams streams, IdentityVerifier identities) {
        return routes -> routes.get(PATH, (request, response) -> open(streams, identities, request, response));
    }

    private static Publisher<Void> open(
            Streams streams, IdentityVerifier identities, HttpServerRequest request, HttpServerResponse response) {
        try {
            Caller caller = identities.verify(request.requestHeaders().get(IdentityHeaders.IDENTITY));
            String owner = caller.userId();
            String lastEventId = request.requestHeaders().get("Last-Event-ID");
            if (lastEventId == null) {
                List<String> param =
                        new QueryStringDecoder(request.uri()).parameters().get("lastEventId");
                lastEventId = param == null || param.isEmpty() ? null : param.getFirst();
            }
            History.Cursor from = History.Cursor.decode(lastEventId);
            return Mono.from(streams.serve(
                            response,
                            new Streams.Subscription(
                                    caller,
                                    from,
                                    // Without Last-Event-ID nothing earlier than the stream is replayed: what
                                    // came before is in the page the client loaded, and replaying it would show
                                    // it twice.
                                    from == History.Cursor.START
                                            ? streams.ofUserFromNow(owner)
                                            : streams.ofUser(owner, from),
                                    event -> true,
                                    event -> false)))
                    // Refusals decided before the head is sent (the replay wait) are problems too.
                    .onErrorResume(
                            ErrorResponseException.class, refused -> Mono.from(problem(request, response, refused)));
        } catch (ErrorResponseException refused) {
            return problem(request, response, refused);
        }
    }

    /** The same {@code application/problem+json} body WebFlux writes for the other endpoints. */
    private static Publisher<Void> problem(
            HttpServerRequest request, HttpServerResponse response, ErrorResponseException refused) {
        ProblemDetail detail = refused.getBody();
        Map<String, Object> body = new LinkedHashMap<>();
        if (detail.getType() != null) {
            body.put("type", detail.getType().toString());
        }
        body.put(
                "title",
                detail.getTitle() != null
                        ? detail.getTitle()
                        : HttpResponseStatus.valueOf(detail.getStatus()).reasonPhrase());
        body.put("status", detail.getStatus());
        if (detail.getDetail() != null) {
            body.put("detail", detail.getDetail());
        }
        body.put("instance", detail.getInstance() != null ? detail.getInstance().toString() : request.fullPath());
        refused.getHeaders().forEach((name, values) -> response.header(name, String.join(", ", values)));
        return response.status(HttpResponseStatus.valueOf(detail.getStatus()))
                .header(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .sendString(Mono.just(JSON.writeValueAsString(body)));
    }
}
