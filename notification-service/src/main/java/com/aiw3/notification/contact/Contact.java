package com.aiw3.notification.contact;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.jspecify.annotations.Nullable;

/**
 * How a user can be reached and what they allow. {@code phoneVerified}: the user confirmed a one-time code
 * sent to {@code phone}; until then no SMS notification goes to it.
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
        String timeZone) {

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
}
