package com.aiw3.gateway.ratelimit;

import java.util.List;
import java.util.stream.Stream;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which requests the limits count. Matched as the routes match them: with path patterns on the decoded path
 * segments, so {@code /api/v1/nft/upgrad%65} is the upgrade it is routed as, and every alias a route serves
 * (the {@code /api/nft/...} ones too) is listed here.
 */
final class LimitedRequests {

    /** A trailing slash is routed too (Spring Cloud Gateway's Path predicate matches one by default). */
    private static final List<PathPattern> UPGRADE =
            patterns("/api/v1/nft/upgrade", "/api/v1/nft/upgrade/", "/api/nft/upgrade", "/api/nft/upgrade/");

    private static final List<PathPattern> CLAIM = patterns("/api/v1/nft/claim", "/api/v1/nft/claim/");

    private static final List<PathPattern> STREAMS = patterns(
            "/api/events/**",
            "/events/**",
            "/api/v1/nft/upgrade/{id}/events",
            "/api/v1/nft/upgrade/{id}/events/",
            "/api/nft/upgrade/{id}/events",
            "/api/nft/upgrade/{id}/events/",
            "/api/v1/nft/claims/{id}/events",
            "/api/v1/nft/claims/{id}/events/",
            "/api/v1/badges/activations/{id}/events",
            "/api/v1/badges/activations/{id}/events/");

    private LimitedRequests() {}

    /** An upgrade request: a POST to the upgrade path, plain or streaming. */
    static boolean isUpgrade(ServerHttpRequest request) {
        return request.getMethod() == HttpMethod.POST && matches(UPGRADE, request);
    }

    /** A first-NFT claim request: a POST to the claim path, plain or streaming. */
    static boolean isClaim(ServerHttpRequest request) {
        return request.getMethod() == HttpMethod.POST && matches(CLAIM, request);
    }

    /** A request that holds a stream open: a GET of an event stream, or the streaming upgrade or claim POST. */
    static boolean isStream(ServerHttpRequest request) {
        if (request.getMethod() == HttpMethod.GET) {
            return hasEventsSegment(request) && matches(STREAMS, request);
        }
        return (isUpgrade(request) || isClaim(request))
                && request.getHeaders().getAccept().stream()
                        .anyMatch(MediaType.TEXT_EVENT_STREAM::equalsTypeAndSubtype);
    }

    /**
     * Every stream path has a decoded segment {@code events}: a request without one (nearly every REST call) is
     * no stream, without matching the ten stream patterns, which both stream filters would do on every request.
     */
    private static boolean hasEventsSegment(ServerHttpRequest request) {
        for (PathContainer.Element element :
                request.getPath().pathWithinApplication().elements()) {
            if (element instanceof PathContainer.PathSegment segment
                    && segment.valueToMatch().equals("events")) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(List<PathPattern> patterns, ServerHttpRequest request) {
        PathContainer path = request.getPath().pathWithinApplication();
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static List<PathPattern> patterns(String... patterns) {
        return Stream.of(patterns).map(PathPatternParser.defaultInstance::parse).toList();
    }
}
