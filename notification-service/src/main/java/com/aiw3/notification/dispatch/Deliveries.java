package com.aiw3.notification.dispatch;

import com.aiw3.events.notification.Channel;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One row per (notification, channel, recipient): claimed before the provider is called, so a
 * redelivered request, a restart or a second instance never sends twice what was sent once.
 */
@Component
class Deliveries {

    enum Claim {
        CLAIMED,
        ALREADY_SENT,
        FAILED_BEFORE,
        IN_PROGRESS_ELSEWHERE
    }

    private final JdbcClient jdbc;

    Deliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Claim claim(UUID notification, Channel channel, String recipient, Duration stalled) {
        Optional<String> taken = jdbc.sql("""
                        insert into deliveries (notification_id, channel, recipient, status)
                        values (:id, :channel, :recipient, 'sending')
                        on conflict (notification_id, channel, recipient) do update set updated_at = now()
                            where deliveries.status = 'sending'
                              and deliveries.updated_at < now() - make_interval(secs => :seconds)
                        returning status""")
                .param("id", notification)
                .param("channel", channel.wireName())
                .param("recipient", recipient)
                .param("seconds", stalled.toMillis() / 1000.0)
                .query(String.class)
                .optional();
        if (taken.isPresent()) {
            return Claim.CLAIMED;
        }
        String status = jdbc.sql("""
                        select status from deliveries
                        where notification_id = :id and channel = :channel and recipient = :recipient""")
                .param("id", notification)
                .param("channel", channel.wireName())
                .param("recipient", recipient)
                .query(String.class)
                .single();
        return switch (status) {
            case "sent" -> Claim.ALREADY_SENT;
            case "failed" -> Claim.FAILED_BEFORE;
            default -> Claim.IN_PROGRESS_ELSEWHERE;
        };
    }

    void attempted(UUID notification, Channel channel, String recipient) {
        update(notification, channel, recipient, "sending", null, null);
    }

    void sent(UUID notification, Channel channel, String recipient, String providerId) {
        update(notification, channel, recipient, "sent", providerId, null);
    }

    void failed(UUID notification, Channel channel, String recipient, String error) {
        update(notification, channel, recipient, "failed", null, error);
    }

    private void update(
            UUID id,
            Channel channel,
            String recipient,
            String status,
            @Nullable String providerId,
            @Nullable String error) {
        jdbc.sql("""
                        update deliveries set status = :status, attempts = attempts + :attempt,
                            provider_message_id = coalesce(:provider, provider_message_id), last_error = :error,
                            updated_at = now()
                        where notification_id = :id and channel = :channel and recipient = :recipient""")
                .param("status", status)
                .param("attempt", status.equals("sending") ? 1 : 0)
                .param("provider", providerId)
                .param("error", error)
                .param("id", id)
                .param("channel", channel.wireName())
                .param("recipient", recipient)
                .update();
    }
}
