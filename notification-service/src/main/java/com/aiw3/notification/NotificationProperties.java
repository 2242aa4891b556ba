package com.aiw3.notification;

import com.aiw3.messaging.RetryPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** {@code aiw3.notification.*}: the real-time window, retries, support alerts and the three providers. */
@Validated
@ConfigurationProperties("aiw3.notification")
public record NotificationProperties(
        /** How long an online user's stream has to confirm delivery before a third-party channel is used. */
        @NotNull @DefaultValue("10s") Duration realtimeConfirmWindow,
        /** How often expired real-time windows and stalled dispatches are picked up. */
        @NotNull @DefaultValue("1s") Duration sweepInterval,
        /** A dispatch not finished after this long (its instance died) is taken over. */
        @NotNull @DefaultValue("2m") Duration stalledDispatch,
        /**
         * How long a presence report counts when its SSE gateway instance has sent no heartbeat yet (its first
         * one may be processed after the report); once heartbeats arrive, the instance's lease decides.
         */
        @NotNull @DefaultValue("45s") Duration presenceWithoutHeartbeat,
        @Valid @NotNull @DefaultValue RetryPolicy retry,
        @Valid @NotNull @DefaultValue Support support,
        @Valid @NotNull @DefaultValue Email email,
        @Valid @NotNull @DefaultValue Sms sms,
        @Valid @NotNull @DefaultValue Push push) {

    /** Who hears about critical failures (mint_failed_critical): by email, whatever their presence. */
    public record Support(@DefaultValue List<String> emails) {}

    public record Email(
            @DefaultValue("true") boolean enabled,

            @NotNull @DefaultValue("AIW3 <no-reply@aiw3.ai>")
            String from) {}

    /** Twilio Programmable Messaging. */
    public record Sms(
            @DefaultValue("false") boolean enabled,
            String accountSid,
            String authToken,
            /** The sending number (E.164) or messaging service. */
            String from,
            @NotNull @DefaultValue("https://api.twilio.com") URI apiBase) {}

    /** Firebase Cloud Messaging HTTP v1 through the Firebase Admin SDK. */
    public record Push(
            @DefaultValue("false") boolean enabled,
            String projectId,
            /** Service-account JSON (a mounted secret); empty: application default credentials. */
            String credentialsFile,

            @NotNull @DefaultValue("https://fcm.googleapis.com")
            URI apiBase) {}
}
