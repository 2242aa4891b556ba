package com.aiw3.notification.inbox;

import com.aiw3.events.realtime.EventCategory;
import com.aiw3.notification.NotificationProperties;
import com.aiw3.notification.inbox.Inbox.Change;
import com.aiw3.notification.inbox.InboxStore.Counts;
import com.aiw3.notification.inbox.InboxStore.Cursor;
import com.aiw3.notification.inbox.InboxStore.Filter;
import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * A user reads and changes their own inbox, nobody else's: another user's item is answered 404 like one
 * that does not exist. Every parameter has a length limit, checked before it is parsed; a refused request
 * changes nothing.
 */
@RestController
class InboxController {

    static final String PATH = "/api/v1/notifications";

    static final int CURSOR_MAX = 96;
    static final int CATEGORY_MAX = 16;
    static final int FLAG_MAX = 5;
    static final int NUMBER_MAX = 4;
    static final int ID_MAX = 36;
    static final int INSTANT_MAX = 40;
    private static final Set<String> CHANGES = Set.of("seen", "read", "archived", "snoozedUntil");

    private final Inbox inbox;
    private final NotificationProperties.Inbox settings;

    InboxController(Inbox inbox, NotificationProperties properties) {
        this.inbox = inbox;
        this.settings = properties.inbox();
    }

    record Feed(List<InboxItem> items, @Nullable String nextCursor) {}

    record UnreadCount(int unread, int unseen) {
        static UnreadCount of(Counts counts) {
            return new UnreadCount(counts.unread(), counts.unseen());
        }
    }

    record MarkAllRead(@Nullable String category) {}

    record MarkedRead(int markedRead, int unread, int unseen) {}

    /**
     * The body of a change, as the OpenAPI document shows it: fields left out stay as they are;
     * {@code snoozedUntil} null wakes the item. The body is read as JSON so an unknown field is refused.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChangeRequest(
            @Nullable Boolean seen,
            @Nullable Boolean read,
            @Nullable Boolean archived,

            @Schema(
                    types = {"string", "null"},
                    format = "date-time")
            @Nullable
            Instant snoozedUntil) {}

    /** The caller's feed, newest first; {@code cursor} is the {@code nextCursor} of the page before. */
    @ApiResponse(responseCode = "200", description = "the caller's feed, newest first, and the cursor of the next page")
    @ApiResponse(
            responseCode = "400",
            description =
                    "a parameter out of its range or longer than its limit, or a cursor this service did not give")
    @GetMapping(PATH)
    Feed feed(
            Caller caller,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable String limit,
            @RequestParam(required = false) @Nullable String unread,
            @RequestParam(required = false) @Nullable String category,
            @RequestParam(required = false) @Nullable String archived) {
        Cursor after = cursor == null ? null : decode(cursor);
        int size = pageSize(limit);
        EventCategory only = category == null ? null : category(category);
        Filter filter =
                new Filter(flag("unread", unread), only == null ? null : only.name(), flag("archived", archived));
        Inbox.Page page = inbox.page(caller.userId(), filter, after, size);
        return new Feed(page.items(), page.next() == null ? null : encode(page.next()));
    }

    @ApiResponse(responseCode = "200", description = "how many of the caller's items are unread and unseen")
    @GetMapping(PATH + "/unread-count")
    UnreadCount unreadCount(Caller caller) {
        return UnreadCount.of(inbox.counts(caller.userId()));
    }

    /**
     * Changes one of the caller's items: {@code seen}, {@code read}, {@code archived} (booleans) and
     * {@code snoozedUntil} (an instant, or null to wake it); fields left out stay as they are.
     */
    @ApiResponse(responseCode = "200", description = "the changed item")
    @ApiResponse(
            responseCode = "400",
            description =
                    "no field, an unknown field, a value of the wrong type or a snooze out of range; the id is no UUID")
    @ApiResponse(responseCode = "404", description = "no such item in the caller's inbox")
    @PatchMapping(PATH + "/{id}")
    InboxItem change(
            Caller caller,
            @PathVariable String id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = ChangeRequest.class)))
                    @RequestBody
                    @Nullable
                    JsonNode body) {
        UUID item = uuid(id);
        Change change = change(body);
        return inbox.change(caller.userId(), item, change)
                .orElseThrow(() -> Problems.notFound("no notification " + item + " in your inbox"));
    }

    /** Marks every unread item of the caller read, or only those of {@code category}. */
    @ApiResponse(responseCode = "200", description = "how many items were marked read, and the counts after")
    @ApiResponse(responseCode = "400", description = "an unknown category")
    @PostMapping(PATH + "/mark-all-read")
    MarkedRead markAllRead(Caller caller, @RequestBody(required = false) @Nullable MarkAllRead body) {
        EventCategory only = body == null || body.category() == null ? null : category(body.category());
        Inbox.AllRead done = inbox.readAll(caller.userId(), only);
        return new MarkedRead(
                done.markedRead(), done.counts().unread(), done.counts().unseen());
    }

    private Change change(@Nullable JsonNode body) {
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw Problems.badRequest("give at least one of seen, read, archived, snoozedUntil");
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!CHANGES.contains(field.getKey())) {
                throw Problems.badRequest("unknown field " + abbreviated(field.getKey())
                        + "; the fields are seen, read, archived, snoozedUntil");
            }
        }
        Boolean seen = bool(body, "seen");
        Boolean read = bool(body, "read");
        if (Boolean.FALSE.equals(seen) && Boolean.TRUE.equals(read)) {
            throw Problems.badRequest("an item that is read is seen: seen false and read true contradict");
        }
        Boolean archived = bool(body, "archived");
        JsonNode snooze = body.get("snoozedUntil");
        Instant until = null;
        if (snooze != null && !snooze.isNull()) {
            if (!snooze.isString()) {
                throw Problems.badRequest("snoozedUntil is an ISO-8601 instant such as 2026-12-01T08:00:00Z");
            }
            until = snoozeUntil(snooze.stringValue());
        }
        return new Change(seen, read, archived, snooze != null, until);
    }

    private Instant snoozeUntil(String value) {
        if (value.length() > INSTANT_MAX) {
            throw Problems.badRequest("snoozedUntil is longer than " + INSTANT_MAX + " characters");
        }
        Instant until;
        try {
            until = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.badRequest("snoozedUntil is an ISO-8601 instant such as 2026-12-01T08:00:00Z");
        }
        Instant now = Instant.now();
        if (!until.isAfter(now)) {
            throw Problems.badRequest("snoozedUntil must be in the future");
        }
        if (until.isAfter(now.plus(settings.maxSnooze()))) {
            throw Problems.badRequest(
                    "an item can be snoozed for at most " + settings.maxSnooze().toDays() + " days");
        }
        return until;
    }

    private static @Nullable Boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw Problems.badRequest(field + " is true or false");
        }
        return value.booleanValue();
    }

    private int pageSize(@Nullable String limit) {
        if (limit == null) {
            return settings.pageSize();
        }
        if (limit.length() > NUMBER_MAX || limit.isEmpty() || !limit.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw Problems.badRequest("limit is a number from 1 to " + settings.maxPageSize());
        }
        int size = Integer.parseInt(limit);
        if (size < 1 || size > settings.maxPageSize()) {
            throw Problems.badRequest("limit is a number from 1 to " + settings.maxPageSize());
        }
        return size;
    }

    private static boolean flag(String name, @Nullable String value) {
        if (value == null) {
            return false;
        }
        if (value.length() > FLAG_MAX || !(value.equals("true") || value.equals("false"))) {
            throw Problems.badRequest(name + " is true or false");
        }
        return value.equals("true");
    }

    static EventCategory category(String value) {
        if (value.length() <= CATEGORY_MAX) {
            for (EventCategory c : EventCategory.values()) {
                if (c.wireName().equals(value.toLowerCase(Locale.ROOT))) {
                    return c;
                }
            }
        }
        throw Problems.badRequest("category is one of nft, trading, social, system");
    }

    private static UUID uuid(String id) {
        if (id.length() != ID_MAX) {
            throw Problems.badRequest("a notification id is a UUID");
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("a notification id is a UUID");
        }
    }

    /** An opaque cursor: the creation time (microseconds) and id of the last item of the page. */
    static String encode(Cursor cursor) {
        long micros = Math.addExact(
                Math.multiplyExact(cursor.createdAt().getEpochSecond(), 1_000_000L),
                cursor.createdAt().getNano() / 1_000L);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((micros + "." + cursor.id()).getBytes(StandardCharsets.US_ASCII));
    }

    static Cursor decode(String cursor) {
        if (cursor.length() > CURSOR_MAX) {
            throw Problems.badRequest("cursor is not one this service gave");
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            int dot = text.indexOf('.');
            long micros = Long.parseLong(text.substring(0, dot));
            UUID id = UUID.fromString(text.substring(dot + 1));
            return new Cursor(
                    Instant.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L),
                    id);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
            throw Problems.badRequest("cursor is not one this service gave");
        }
    }

    private static String abbreviated(String value) {
        return value.length() <= 32 ? value : value.substring(0, 32) + "…";
    }
}
