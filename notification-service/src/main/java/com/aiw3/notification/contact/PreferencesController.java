package com.aiw3.notification.contact;

import com.aiw3.web.Caller;
import com.aiw3.web.Problems;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A user reads and changes their own contact data and preferences; nobody else's. */
@RestController
class PreferencesController {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern LOCALE = Pattern.compile("[a-z]{2}(-[A-Z]{2})?");

    private final Contacts contacts;

    PreferencesController(Contacts contacts) {
        this.contacts = contacts;
    }

    record OptOut(boolean email, boolean sms, boolean push) {}

    record QuietHours(String start, String end, String timeZone) {}

    record Preferences(
            String email, String phone, String pushToken, String locale, OptOut optOut, QuietHours quietHours) {

        static Preferences of(Contact c) {
            return new Preferences(
                    c.email(),
                    c.phone(),
                    c.pushToken(),
                    c.locale(),
                    new OptOut(c.emailOptOut(), c.smsOptOut(), c.pushOptOut()),
                    new QuietHours(
                            c.quietHoursStart() == null
                                    ? null
                                    : c.quietHoursStart().toString(),
                            c.quietHoursEnd() == null ? null : c.quietHoursEnd().toString(),
                            c.timeZone()));
        }
    }

    @GetMapping("/api/v1/notifications/preferences")
    Preferences get(Caller caller) {
        return contacts.find(caller.userId())
                .map(Preferences::of)
                .orElseThrow(() -> Problems.notFound("no contact data yet; PUT them first"));
    }

    @PutMapping("/api/v1/notifications/preferences")
    Preferences put(Caller caller, @RequestBody Preferences p) {
        if (p.email() != null && !EMAIL.matcher(p.email()).matches()) {
            throw Problems.badRequest("email is not an address");
        }
        if (p.phone() != null && !E164.matcher(p.phone()).matches()) {
            throw Problems.badRequest("phone must be E.164, e.g. +14155550100");
        }
        String locale = p.locale() == null ? "en" : p.locale();
        if (!LOCALE.matcher(locale).matches()) {
            throw Problems.badRequest("locale must look like en or zh-CN");
        }
        OptOut optOut = p.optOut() == null ? new OptOut(false, false, false) : p.optOut();
        QuietHours quiet = p.quietHours() == null ? new QuietHours(null, null, "UTC") : p.quietHours();
        LocalTime start = time(quiet.start());
        LocalTime end = time(quiet.end());
        if ((start == null) != (end == null)) {
            throw Problems.badRequest("quietHours needs both start and end, or neither");
        }
        String zone = quiet.timeZone() == null ? "UTC" : quiet.timeZone();
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw Problems.badRequest("unknown time zone " + zone);
        }
        Contact contact = new Contact(
                caller.userId(),
                p.email(),
                p.phone(),
                p.pushToken(),
                locale,
                optOut.email(),
                optOut.sms(),
                optOut.push(),
                start,
                end,
                zone);
        contacts.save(contact);
        return Preferences.of(contact);
    }

    private static LocalTime time(String value) {
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
