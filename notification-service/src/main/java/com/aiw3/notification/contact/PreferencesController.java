package com.aiw3.notification.contact;

import com.aiw3.events.notification.Channel;
import com.aiw3.notification.contact.PhoneVerification.CodeRequest;
import com.aiw3.notification.contact.PhoneVerification.Confirmation;
import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user reads and changes their own contact data and preferences, and confirms their phone number;
 * nobody else's. Every text field has a length limit, checked before anything else looks at it.
 */
@RestController
class PreferencesController {

    static final String PATH = "/api/v1/notifications/preferences";

    private final Contacts contacts;
    private final PreferenceWriteLimit writeLimit;
    private final PhoneVerification phones;

    PreferencesController(Contacts contacts, PreferenceWriteLimit writeLimit, PhoneVerification phones) {
        this.contacts = contacts;
        this.writeLimit = writeLimit;
        this.phones = phones;
    }

    record OptOut(boolean email, boolean sms, boolean push) {}

    /** {@code digest}: {@code email} or {@code push} for one digest of what the quiet hours held back, when they end. */
    record QuietHours(
            @Nullable String start,
            @Nullable String end,
            @Nullable String timeZone,
            @Nullable String digest) {}

    /** {@code phoneVerified} is read-only: a number is verified only by confirming a code. */
    record Preferences(
            @Nullable String email,
            @Nullable String phone,
            @Nullable Boolean phoneVerified,
            @Nullable String pushToken,
            @Nullable String locale,
            @Nullable OptOut optOut,
            @Nullable QuietHours quietHours) {

        static Preferences of(Contact c) {
            return new Preferences(
                    c.email(),
                    c.phone(),
                    c.phone() == null ? null : c.phoneVerified(),
                    c.pushToken(),
                    c.locale(),
                    new OptOut(c.emailOptOut(), c.smsOptOut(), c.pushOptOut()),
                    new QuietHours(
                            c.quietHoursStart() == null
                                    ? null
                                    : c.quietHoursStart().toString(),
                            c.quietHoursEnd() == null ? null : c.quietHoursEnd().toString(),
                            c.timeZone(),
                            c.quietHoursDigest() == null
                                    ? null
                                    : c.quietHoursDigest().wireName()));
        }
    }

    record PhoneCode(String code) {}

    record CodeSent(String phone, long expiresInSeconds) {}

    @ApiResponse(responseCode = "200", description = "the caller's contact data and preferences")
    @ApiResponse(responseCode = "404", description = "no contact data yet")
    @GetMapping(PATH)
    Preferences get(Caller caller) {
        return contacts.find(caller.userId())
                .map(Preferences::of)
                .orElseThrow(() -> Problems.notFound("no contact data yet; PUT them first"));
    }

    /**
     * Replaces the caller's preferences. A phone number that is new or changed is stored unverified and
     * a one-time code is sent to it (unless one for it is still pending or the code limits say not yet).
     */
    @ApiResponse(
            responseCode = "200",
            description =
                    "the stored preferences; a new or changed phone number is unverified and a code is sent to it")
    @ApiResponse(responseCode = "400", description = "a field that is malformed or longer than its limit")
    @ApiResponse(responseCode = "429", description = "too many preference changes (Retry-After)")
    @PutMapping(PATH)
    Preferences put(Caller caller, @RequestBody Preferences p) {
        // Validation first: a refused request changes nothing, not even the caller's write allowance.
        Contact contact = validated(caller.userId(), p);
        writeLimit.take(caller.userId()).ifPresent(wait -> {
            throw Problems.tooManyRequests("too many preference changes; retry later", wait);
        });
        Contact saved = contacts.save(contact);
        if (saved.phone() != null && !saved.phoneVerified()) {
            phones.sendCode(caller.userId(), true);
        }
        return Preferences.of(saved);
    }

    /** Sends a new one-time code to the caller's unverified phone (at most one a minute, five a day). */
    @ApiResponse(responseCode = "202", description = "a code is sent to the phone")
    @ApiResponse(
            responseCode = "409",
            description = "no phone number, the number is verified already, or a code is pending")
    @ApiResponse(responseCode = "429", description = "a code was sent recently (Retry-After)")
    @ApiResponse(responseCode = "503", description = "no code could be sent")
    @PostMapping(PATH + "/phone/code")
    @ResponseStatus(HttpStatus.ACCEPTED)
    CodeSent sendCode(Caller caller) {
        return switch (phones.sendCode(caller.userId(), false)) {
            case CodeRequest.Sent(String phone) ->
                new CodeSent(phone, phones.codeTtl().toSeconds());
            case CodeRequest.NoPhone() -> throw Problems.conflict("no phone number is set; PUT it first");
            case CodeRequest.AlreadyVerified() -> throw Problems.conflict("the phone number is already verified");
            case CodeRequest.Pending() -> throw Problems.conflict("a code is already pending");
            case CodeRequest.TooSoon(var wait) ->
                throw Problems.tooManyRequests("a code was sent recently; wait before asking for another", wait);
            case CodeRequest.SmsUnavailable() ->
                throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "no verification code could be sent; retry later");
        };
    }

    /** Confirms the caller's phone with the code sent to it; from then on SMS notifications go to it. */
    @ApiResponse(responseCode = "200", description = "the preferences with the phone verified")
    @ApiResponse(responseCode = "400", description = "the code is malformed, wrong or expired")
    @ApiResponse(responseCode = "409", description = "no code is pending for the phone")
    @PostMapping(PATH + "/phone/verify")
    Preferences verify(Caller caller, @RequestBody PhoneCode body) {
        String code = body == null || body.code() == null ? "" : body.code().strip();
        if (ContactFields.tooLong(code, ContactFields.CODE_MAX) || !isSixDigits(code)) {
            throw Problems.badRequest("code must be the six digits sent by SMS");
        }
        return switch (phones.confirm(caller.userId(), code)) {
            case Confirmation.Verified() -> get(caller);
            case Confirmation.NothingPending() ->
                throw Problems.conflict(
                        "no code is pending for this phone number; request one with POST " + PATH + "/phone/code");
            case Confirmation.Expired() -> throw Problems.badRequest("the code has expired; request a new one");
            case Confirmation.Wrong(int left)
            when left == 0 ->
                throw Problems.badRequest("the code is wrong and no attempts are left; request a new one");
            case Confirmation.Wrong(int left) ->
                throw Problems.badRequest("the code is wrong; " + left + " attempts left");
        };
    }

    private static Contact validated(String userId, Preferences p) {
        limit("email", p.email(), ContactFields.EMAIL_MAX);
        limit("phone", p.phone(), ContactFields.PHONE_MAX);
        limit("pushToken", p.pushToken(), ContactFields.PUSH_TOKEN_MAX);
        limit("locale", p.locale(), ContactFields.LOCALE_MAX);
        QuietHours quiet = p.quietHours() == null ? new QuietHours(null, null, "UTC", null) : p.quietHours();
        limit("quietHours.start", quiet.start(), ContactFields.TIME_MAX);
        limit("quietHours.end", quiet.end(), ContactFields.TIME_MAX);
        limit("quietHours.timeZone", quiet.timeZone(), ContactFields.TIME_ZONE_MAX);
        limit("quietHours.digest", quiet.digest(), ContactFields.DIGEST_MAX);

        if (p.email() != null && !ContactFields.email(p.email())) {
            throw Problems.badRequest("email is not an address");
        }
        if (p.phone() != null && !ContactFields.phone(p.phone())) {
            throw Problems.badRequest("phone must be E.164, e.g. +14155550100");
        }
        if (p.pushToken() != null && !ContactFields.pushToken(p.pushToken())) {
            throw Problems.badRequest("pushToken must be visible ASCII characters without spaces");
        }
        String locale = p.locale() == null ? "en" : p.locale();
        if (!ContactFields.locale(locale)) {
            throw Problems.badRequest("locale must look like en or zh-CN");
        }
        OptOut optOut = p.optOut() == null ? new OptOut(false, false, false) : p.optOut();
        LocalTime start = time(quiet.start());
        LocalTime end = time(quiet.end());
        if ((start == null) != (end == null)) {
            throw Problems.badRequest("quietHours needs both start and end, or neither");
        }
        Channel digest = digest(quiet.digest());
        if (digest != null && start == null) {
            throw Problems.badRequest("quietHours.digest needs quiet hours (start and end)");
        }
        String zone = quiet.timeZone() == null ? "UTC" : quiet.timeZone();
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw Problems.badRequest("unknown time zone " + zone);
        }
        return new Contact(
                userId,
                p.email(),
                p.phone(),
                false,
                p.pushToken(),
                locale,
                optOut.email(),
                optOut.sms(),
                optOut.push(),
                start,
                end,
                zone,
                digest);
    }

    private static @Nullable Channel digest(@Nullable String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "email" -> Channel.EMAIL;
            case "push" -> Channel.PUSH;
            default -> throw Problems.badRequest("quietHours.digest is email, push or null");
        };
    }

    private static void limit(String field, @Nullable String value, int max) {
        if (ContactFields.tooLong(value, max)) {
            throw Problems.badRequest(field + " is longer than " + max + " characters");
        }
    }

    private static boolean isSixDigits(String code) {
        return code.length() == 6 && code.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static @Nullable LocalTime time(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.badRequest("quiet hours are HH:mm, not " + value);
        }
    }
}
