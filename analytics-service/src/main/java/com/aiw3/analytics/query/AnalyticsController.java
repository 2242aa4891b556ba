package com.aiw3.analytics.query;

import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The analytics read API (OpenAPI document at {@code /v3/api-docs}). */
@RestController
@RequestMapping("/api/v1/analytics")
class AnalyticsController {

    private static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

    private final AnalyticsQueries queries;

    AnalyticsController(AnalyticsQueries queries) {
        this.queries = queries;
    }

    /** A user's own figures; operators may read anyone's. */
    @ApiResponse(responseCode = "200", description = "the user's figures")
    @ApiResponse(responseCode = "400", description = "a malformed user id")
    @ApiResponse(responseCode = "403", description = "another user's figures, and the caller is not an operator")
    @ApiResponse(responseCode = "404", description = "no figures for the user yet")
    @GetMapping("/users/{userId}/stats")
    AnalyticsQueries.UserStats userStats(
            Caller caller, @PathVariable @Pattern(regexp = "[A-Za-z0-9_.:@-]{1,200}") String userId) {
        if (!caller.userId().equals(userId)) {
            caller.requireRole(Caller.OPERATOR);
        }
        return queries.userStats(userId).orElseThrow(() -> Problems.notFound("no figures for user " + userId + " yet"));
    }

    @ApiResponse(responseCode = "200", description = "how many users hold each level")
    @GetMapping("/levels")
    List<AnalyticsQueries.LevelCount> levels(Caller caller) {
        return queries.levelDistribution();
    }

    record LeaderboardPage(List<AnalyticsQueries.LeaderboardEntry> items, int page, int size, boolean hasNext) {}

    @ApiResponse(responseCode = "200", description = "one page of the leaderboard")
    @ApiResponse(responseCode = "400", description = "page or size out of range")
    @GetMapping("/leaderboard")
    LeaderboardPage leaderboard(
            Caller caller,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        List<AnalyticsQueries.LeaderboardEntry> rows = queries.leaderboard(page, size);
        return new LeaderboardPage(rows.stream().limit(size).toList(), page, size, rows.size() > size);
    }

    /** Funnel of the upgrades initiated in [from, to) (default: the last 30 days). */
    @ApiResponse(responseCode = "200", description = "the funnel of the upgrades initiated in the window")
    @ApiResponse(responseCode = "400", description = "a malformed instant, or from not before to")
    @ApiResponse(responseCode = "403", description = "the caller is not an operator")
    @GetMapping("/funnel")
    AnalyticsQueries.Funnel funnel(
            Caller caller,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        caller.requireRole(Caller.OPERATOR);
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(DEFAULT_WINDOW) : from;
        if (!start.isBefore(end)) {
            throw Problems.badRequest("'from' must be before 'to'");
        }
        return queries.funnel(start, end);
    }

    /** The first-NFT claims initiated in [from, to) (default: the last 30 days). */
    @ApiResponse(responseCode = "200", description = "the first-NFT claims initiated in the window")
    @ApiResponse(responseCode = "400", description = "a malformed instant, or from not before to")
    @ApiResponse(responseCode = "403", description = "the caller is not an operator")
    @GetMapping("/claims")
    AnalyticsQueries.Claims claims(
            Caller caller,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        caller.requireRole(Caller.OPERATOR);
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(DEFAULT_WINDOW) : from;
        if (!start.isBefore(end)) {
            throw Problems.badRequest("'from' must be before 'to'");
        }
        return queries.claims(start, end);
    }

    @ApiResponse(responseCode = "200", description = "deliveries by channel and outcome")
    @ApiResponse(responseCode = "403", description = "the caller is not an operator")
    @GetMapping("/notifications")
    List<AnalyticsQueries.ChannelOutcome> notifications(Caller caller) {
        caller.requireRole(Caller.OPERATOR);
        return queries.notificationDeliveries();
    }

    @ApiResponse(responseCode = "200", description = "users online and real-time deliveries")
    @ApiResponse(responseCode = "403", description = "the caller is not an operator")
    @GetMapping("/realtime")
    AnalyticsQueries.Realtime realtime(Caller caller) {
        caller.requireRole(Caller.OPERATOR);
        return queries.realtime();
    }
}
