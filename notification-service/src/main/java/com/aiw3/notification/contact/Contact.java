package com.aiw3.notification.contact;

import com.aiw3.events.notification.Channel;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.jspecify.annotations.Nullable;

/**
 * How a user can be reached and what they allow. {@code phoneVerified}: the user confirmed a one-time code
 * sent to {@code phone}; until then no SMS notification goes to it. {@code quietHoursDigest}: the channel
 * (email or push) of one digest of what quiet hours held back, sent when they end; null for none.
 */
public record Contact(
        String userId,
        @Nullable String email,
        @Nullable String phone,
        boolean phoneVerified,
        @Nullable String pushToken,
        String locale,
        boolean emailOptOut,
        boolean smsOptOut,
        boolean pushOptOut,
        @Nullable LocalTime quietHoursStart,
        @Nullable LocalTime quietHoursEnd,
        String timeZone,
        @Nullable Channel quietHoursDigest) {

    /** Quiet hours may span midnight (22:00–07:00). */
    public boolean inQuietHours(ZonedDateTime now) {
        if (quietHoursStart == null || quietHoursEnd == null || quietHoursStart.equals(quietHoursEnd)) {
            return false;
        }
        LocalTime local = now.withZoneSameInstant(ZoneId.of(timeZone)).toLocalTime();
        return quietHoursStart.isBefore(quietHoursEnd)
                ? !local.isBefore(quietHoursStart) && local.isBefore(quietHoursEnd)
                : !local.isBefore(quietHoursStart) || local.isBefore(quietHoursEnd);
    }

    /**
     * When the quiet hours that {@code now} is in end: the next time the user's clock shows
     * {@code quietHoursEnd} (a time skipped by a daylight-saving change moves to just after the gap).
     */
    public Instant quietHoursEndAfter(ZonedDateTime now) {
        if (quietHoursEnd == null) {
            return now.toInstant();
        }
        ZonedDateTime local = now.withZoneSameInstant(ZoneId.of(timeZone));
        ZonedDateTime end = local.with(quietHoursEnd);
        if (!end.isAfter(local)) {
            end = local.plusDays(1).with(quietHoursEnd);
        }
        return end.toInstant();
    }
}
