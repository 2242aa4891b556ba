package com.aiw3.notification;

import com.aiw3.messaging.RetryPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code aiw3.notification.*}: the real-time window, retries, support alerts, the three providers, and
 * the limits of the preferences API.
 *
 * @param realtimeConfirmWindow how long an online user's stream has to confirm delivery before a third-party
 *                              channel is used
 * @param sweepInterval         how often expired real-time windows and stalled dispatches are picked up
 * @param stalledDispatch       a dispatch not finished after this long (its instance died) is taken over
 * @param presenceWithoutHeartbeat how long a presence report counts while its SSE gateway instance has sent no
 *                              heartbeat yet (its first one may be processed after the report); once heartbeats
 *                              arrive, the instance's lease decides
 * @param retry                 retries of a call to a provider
 * @param support               who hears about critical failures
 * @param email                 email through SMTP ({@code spring.mail.*})
 * @param sms                   SMS through Twilio
 * @param push                  push through Firebase Cloud Messaging
 * @param preferences           limits of the preferences API
 * @param phoneVerification     one-time codes that verify a phone number before it gets SMS
 * @param inbox                 the in-app inbox: the fallback delay, its pages, and retention
 */
@Validated
@ConfigurationProperties("aiw3.notification")
public record NotificationProperties(
        @NotNull @DefaultValue("10s") Duration realtimeConfirmWindow,
        @NotNull @DefaultValue("1s") Duration sweepInterval,
        @NotNull @DefaultValue("2m") Duration stalledDispatch,
        @NotNull @DefaultValue("45s") Duration presenceWithoutHeartbeat,

        @Valid @NotNull @DefaultValue @NestedConfigurationProperty
        RetryPolicy retry,

        @Valid @NotNull @DefaultValue Support support,
        @Valid @NotNull @DefaultValue Email email,
        @Valid @NotNull @DefaultValue Sms sms,
        @Valid @NotNull @DefaultValue Push push,
        @Valid @NotNull @DefaultValue Preferences preferences,
        @Valid @NotNull @DefaultValue PhoneVerification phoneVerification,
        @Valid @NotNull @DefaultValue Inbox inbox) {

    /**
     * Who hears about critical failures (mint_failed_critical): by email, whatever their presence.
     *
     * @param emails the support addresses
     */
    public record Support(@DefaultValue List<String> emails) {}

    /**
     * @param enabled send emails
     * @param from    the sender address
     */
    public record Email(
            @DefaultValue("true") boolean enabled,

            @NotNull @DefaultValue("AIW3 <no-reply@aiw3.ai>")
            String from) {}

    /**
     * Twilio Programmable Messaging.
     *
     * @param enabled    send SMS
     * @param accountSid the Twilio account (from a secret)
     * @param authToken  the Twilio auth token (from a secret)
     * @param from       the sending number (E.164) or messaging service
     * @param apiBase    the Twilio API host
     */
    public record Sms(
            @DefaultValue("false") boolean enabled,
            String accountSid,
            String authToken,
            String from,
            @NotNull @DefaultValue("https://api.twilio.com") URI apiBase) {}

    /**
     * Firebase Cloud Messaging HTTP v1 through the Firebase Admin SDK.
     *
     * @param enabled         send push notifications
     * @param projectId       the Firebase project
     * @param credentialsFile service-account JSON (a mounted secret); empty: application default credentials
     * @param apiBase         the FCM API host
     */
    public record Push(
            @DefaultValue("false") boolean enabled,
            String projectId,
            String credentialsFile,

            @NotNull @DefaultValue("https://fcm.googleapis.com")
            URI apiBase) {}

    /**
     * The preferences API: a token bucket per user for writes, shared by every instance (it lives in the
     * database), and the largest request body the service reads.
     */
    public record Preferences(
            /** Writes a user may make at once. */
            @Min(1) @DefaultValue("5") int writeBurst,
            /** One more write becomes available after this long, up to the burst. */
            @NotNull @DefaultValue("12s") Duration writeRefill,
            /** Larger request bodies are refused with 413 before they are read. */
            @NotNull @DefaultValue("16KB") DataSize maxBodySize) {}

    /** One-time codes that prove a user holds the phone number before any SMS notification goes to it. */
    public record PhoneVerification(
            @NotNull @DefaultValue("10m") Duration codeTtl,
            /** Wrong codes after which a code is spent. */
            @Min(1) @DefaultValue("5") int maxAttempts,
            /** At most one code per user in this interval. */
            @NotNull @DefaultValue("60s") Duration resendInterval,
            /** At most this many codes per user in 24 hours. */
            @Min(1) @DefaultValue("5") int codesPerDay) {}

    /**
     * The in-app inbox: every notification of a user, with its read state.
     *
     * @param fallbackDelay     a medium or low notification for an offline user waits this long before a third
     *                          party is used; read in the app meanwhile, it is not sent (high ones go at once)
     * @param pageSize          items per page of the feed when the client asks for no size
     * @param maxPageSize       the largest page a client may ask for
     * @param maxSnooze         how far ahead an item may be snoozed
     * @param settledRetention  read or archived items are deleted this long after they were read or archived
     * @param maxItemsPerUser   a user keeps at most this many notifications; the oldest finished ones go first
     * @param retentionInterval how often expired items are swept
     */
    public record Inbox(
            @NotNull @DefaultValue("30s") Duration fallbackDelay,
            @Min(1) @DefaultValue("20") int pageSize,
            @Min(1) @DefaultValue("100") int maxPageSize,
            @NotNull @DefaultValue("30d") Duration maxSnooze,
            @NotNull @DefaultValue("90d") Duration settledRetention,
            @Min(1) @DefaultValue("1000") int maxItemsPerUser,
            @NotNull @DefaultValue("10m") Duration retentionInterval) {}
}
