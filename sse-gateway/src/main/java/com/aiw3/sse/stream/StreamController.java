package com.aiw3.sse.stream;

import com.aiw3.events.EventPayload;
import com.aiw3.events.realtime.EventCategory;
import com.aiw3.events.upgrade.ClaimEvent;
import com.aiw3.events.upgrade.NftLifecycleEvent;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.sse.SseProperties;
import com.aiw3.sse.feed.History;
import com.aiw3.web.AccessDeniedException;
import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import java.lang.management.ManagementFactory;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The streams a browser opens (through api-gateway, which signs the caller's identity; a {@link Caller} parameter is that identity, verified), but for
 * {@code /api/events/stream}, which {@link UserStreamRoute} serves.
 */
@RestController
class StreamController {

    private final Streams streams;
    private final ProcessStreams processes;
    private final SseProperties properties;
    private final StreamStatistics statistics;

    StreamController(Streams streams, ProcessStreams processes, SseProperties properties, StreamStatistics statistics) {
        this.streams = streams;
        this.processes = processes;
        this.properties = properties;
        this.statistics = statistics;
    }

    /**
     * One upgrade's progress: its current state first, then each transition; ends after a terminal
     * status. Only its owner finds it (upgrade events are kept per user); others get 404.
     */
    @GetMapping(
            path = {"/api/v1/nft/upgrade/{upgradeId}/events", "/api/nft/upgrade/{upgradeId}/events"},
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<ResponseEntity<Flux<DataBuffer>>> upgradeStream(
            ServerHttpRequest request, Caller caller, @PathVariable UUID upgradeId) {
        return processStream(
                request,
                caller,
                payload -> payload instanceof UpgradeEvent u && u.upgradeId().equals(upgradeId),
                "no upgrade " + upgradeId + " of yours");
    }

    /**
     * One first-NFT claim's progress, like an upgrade's: its current state first, then each transition; ends
     * after a terminal status; another user's claim is 404.
     */
    @GetMapping(path = "/api/v1/nft/claims/{claimId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<ResponseEntity<Flux<DataBuffer>>> claimStream(
            ServerHttpRequest request, Caller caller, @PathVariable UUID claimId) {
        return processStream(
                request,
                caller,
                payload -> payload instanceof ClaimEvent c && c.claimId().equals(claimId),
                "no claim " + claimId + " of yours");
    }

    /** The events of one NFT process of the caller (an upgrade, a claim), from its current state to its end. */
    private Mono<ResponseEntity<Flux<DataBuffer>>> processStream(
            ServerHttpRequest request, Caller caller, Predicate<EventPayload> ofProcess, String missing) {
        return processes.open(
                request, caller, ofProcess, payload -> payload instanceof NftLifecycleEvent e && e.terminal(), missing);
    }

    /**
     * The filtered subscription: {@code streams} are categories (nft, trading, social, system),
     * {@code users} whose events to follow, {@code all=true} for everyone's. The caller alone needs no
     * role; other users and {@code all} need the operator role. Live only: no Last-Event-ID resume.
     */
    @GetMapping(path = "/events/subscribe", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<Flux<DataBuffer>> subscribe(
            ServerHttpRequest request,
            Caller caller,
            @RequestParam(name = "streams", required = false) List<String> categories,
            @RequestParam(name = "users", required = false) List<String> users,
            @RequestParam(name = "all", defaultValue = "false") boolean all) {
        String owner = caller.userId();
        boolean operator = caller.hasRole(Caller.OPERATOR);
        Set<String> followed = users == null || users.isEmpty() ? Set.of(owner) : Set.copyOf(users);
        if ((all || !followed.equals(Set.of(owner))) && !operator) {
            throw new AccessDeniedException("following other users or everyone needs the operator role");
        }
        Set<EventCategory> wanted = categories == null || categories.isEmpty()
                ? EnumSet.allOf(EventCategory.class)
                : categories.stream()
                        .map(StreamController::category)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(EventCategory.class)));
        return sse(streams.open(
                LoopInbox.connectionOf(request),
                new Streams.Subscription(
                        caller,
                        History.Cursor.START,
                        all ? streams.ofEveryone() : streams.ofUsers(followed),
                        event -> wanted.contains(ClientEvents.category(event)),
                        event -> false)));
    }

    private static EventCategory category(String name) {
        try {
            return EventCategory.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("unknown stream '" + name + "': use nft, trading, social or system");
        }
    }

    /**
     * This instance's streams: open now, users online, and since start the streams opened, those ended by how they
     * ended ({@link StreamStatistics.Outcome}, every outcome listed) and how long the ended ones lasted on average.
     */
    record Stats(
            String instanceId,
            int activeStreams,
            int usersOnline,
            long streamsOpened,
            Map<String, Long> streamsEnded,
            double meanStreamSeconds) {}

    @GetMapping("/events/stats")
    Stats stats() {
        StreamStatistics.Totals totals = statistics.totals();
        return new Stats(
                properties.instanceId(),
                streams.active(),
                streams.users(),
                totals.opened(),
                totals.ended(),
                totals.meanSeconds());
    }

    /** 503 above 90 % of the configured stream count or 85 % heap use, so a balancer sends new streams elsewhere. */
    @GetMapping("/api/v1/monitoring/sse-health")
    ResponseEntity<Map<String, Object>> health() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        double heapUsed = heap.getMax() > 0 ? (double) heap.getUsed() / heap.getMax() : 0;
        boolean healthy = streams.active() < properties.maxStreams() * 0.9 && heapUsed < 0.85;
        return ResponseEntity.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of(
                        "status",
                        healthy ? "healthy" : "warning",
                        "activeStreams",
                        streams.active(),
                        "maxStreams",
                        properties.maxStreams(),
                        "heapUsedRatio",
                        Math.round(heapUsed * 1000) / 1000.0));
    }

    static ResponseEntity<Flux<DataBuffer>> sse(Flux<DataBuffer> events) {
        // text/event-stream and no-cache only: connection-specific headers are forbidden in HTTP/2.
        return ResponseEntity.ok()
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .body(events);
    }
}
