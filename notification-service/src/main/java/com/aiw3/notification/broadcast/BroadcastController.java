package com.aiw3.notification.broadcast;

import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operators broadcast to every online user: a maintenance notice with its window, or a feature announcement
 * with its items. Anyone else is refused 403 before the body is read; bad input is 400 and sends nothing.
 * Every text has a length limit, checked before it is parsed.
 */
@RestController
class BroadcastController {

    static final String PATH = "/api/v1/notifications/broadcasts";

    static final int KIND_MAX = 16;
    static final int MESSAGE_MAX = 500;
    static final int ITEMS_MAX = 10;
    static final int ITEM_MAX = 200;
    static final int INSTANT_MAX = 40;
    static final int IDEMPOTENCY_KEY_MAX = 200;
    private static final Set<String> FIELDS = Set.of("kind", "message", "startTime", "endTime", "items");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Broadcasts broadcasts;

    BroadcastController(Broadcasts broadcasts) {
        this.broadcasts = broadcasts;
    }

    /**
     * Sends a broadcast: {@code {"kind":"maintenance","message","startTime","endTime"}} or
     * {@code {"kind":"feature","message","items":[...]}}. 202 with the broadcast; with an {@code Idempotency-Key}
     * that this operator used before for the same broadcast, 202 with that one and {@code Idempotent-Replayed:
     * true}, nothing sent again.
     */
    @ApiResponse(responseCode = "202", description = "the broadcast, published to every online user")
    @ApiResponse(responseCode = "400", description = "a field that is missing, malformed or longer than its limit")
    @ApiResponse(responseCode = "403", description = "the caller is not an operator")
    @ApiResponse(responseCode = "409", description = "this Idempotency-Key was used for another broadcast")
    @PostMapping(PATH)
    ResponseEntity<Broadcast> send(
            Caller caller,
            @RequestBody(required = false) @Nullable String body,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
        caller.requireRole(Caller.OPERATOR);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > IDEMPOTENCY_KEY_MAX)) {
            throw Problems.badRequest("Idempotency-Key must be 1 to " + IDEMPOTENCY_KEY_MAX + " characters");
        }
        Broadcasts.Sent sent = broadcasts.send(caller.userId(), request(body), idempotencyKey);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .header("Idempotent-Replayed", Boolean.toString(sent.replayed()))
                .body(sent.broadcast());
    }

    private static Broadcast.Request request(@Nullable String body) {
        JsonNode json;
        try {
            json = body == null ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            throw Problems.badRequest("the body is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw Problems.badRequest("give a JSON object: kind, message, and startTime and endTime or items");
        }
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                throw Problems.badRequest("unknown field " + abbreviated(field.getKey())
                        + "; the fields are kind, message, startTime, endTime, items");
            }
        }
        String kind = text(json, "kind", KIND_MAX);
        String message = text(json, "message", MESSAGE_MAX);
        return switch (kind) {
            case Broadcast.MAINTENANCE -> maintenance(json, message);
            case Broadcast.FEATURE -> feature(json, message);
            default -> throw Problems.badRequest("kind is maintenance or feature");
        };
    }

    private static Broadcast.Request maintenance(JsonNode json, String message) {
        if (json.has("items")) {
            throw Problems.badRequest("items belong to a feature announcement, not to a maintenance notice");
        }
        Instant start = instant(json, "startTime");
        Instant end = instant(json, "endTime");
        if (!end.isAfter(start)) {
            throw Problems.badRequest("endTime is after startTime");
        }
        if (!end.isAfter(Instant.now())) {
            throw Problems.badRequest("endTime is in the past: the maintenance is over");
        }
        return new Broadcast.Request(Broadcast.MAINTENANCE, message, start, end, List.of());
    }

    private static Broadcast.Request feature(JsonNode json, String message) {
        if (json.has("startTime") || json.has("endTime")) {
            throw Problems.badRequest("startTime and endTime belong to a maintenance notice, not to a feature");
        }
        JsonNode items = json.get("items");
        List<String> texts = new ArrayList<>();
        if (items != null && !items.isNull()) {
            if (!items.isArray()) {
                throw Problems.badRequest("items is an array of texts");
            }
            if (items.size() > ITEMS_MAX) {
                throw Problems.badRequest("at most " + ITEMS_MAX + " items");
            }
            for (JsonNode item : items) {
                texts.add(checked("an item", item, ITEM_MAX));
            }
        }
        return new Broadcast.Request(Broadcast.FEATURE, message, null, null, texts);
    }

    private static String text(JsonNode json, String name, int max) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            throw Problems.badRequest(name + " is required");
        }
        return checked(name, value, max);
    }

    /** A text of 1 to {@code max} characters, not blank, without control characters other than line breaks. */
    private static String checked(String name, JsonNode value, int max) {
        if (!value.isString()) {
            throw Problems.badRequest(name + " is a text");
        }
        String text = value.stringValue();
        if (text.length() > max) {
            throw Problems.badRequest(name + " is longer than " + max + " characters");
        }
        if (text.isBlank()) {
            throw Problems.badRequest(name + " is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n') {
                throw Problems.badRequest(name + " holds a control character");
            }
        }
        return text;
    }

    private static Instant instant(JsonNode json, String name) {
        String value = text(json, name, INSTANT_MAX);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.badRequest(name + " is an ISO-8601 instant such as 2026-12-01T08:00:00Z");
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "…";
    }
}
