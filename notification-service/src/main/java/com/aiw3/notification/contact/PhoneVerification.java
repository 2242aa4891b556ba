package com.aiw3.notification.contact;

import com.aiw3.events.notification.Channel;
import com.aiw3.notification.NotificationProperties;
import com.aiw3.notification.channel.ChannelSender;
import com.aiw3.notification.channel.Outgoing;
import com.aiw3.notification.channel.ProviderException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Proves that a user holds their phone number before any SMS notification goes to it: a six-digit
 * one-time code is sent to the number by SMS, and the user types it back. Codes are kept only as salted
 * SHA-256 hashes, expire after {@code code-ttl}, are spent after {@code max-attempts} wrong tries, and a
 * user gets at most one code per {@code resend-interval} and {@code codes-per-day} in 24 hours, so the
 * number of SMS anyone can make the platform pay for is small. Every decision runs in one transaction
 * with the user's contact row locked, so concurrent requests on several instances see the same counts.
 */
@Component
class PhoneVerification {

    private static final Logger log = LoggerFactory.getLogger(PhoneVerification.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Contacts contacts;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Optional<ChannelSender> sms;
    private final NotificationProperties.PhoneVerification settings;

    PhoneVerification(
            Contacts contacts,
            JdbcClient jdbc,
            TransactionTemplate tx,
            List<ChannelSender> senders,
            NotificationProperties properties) {
        this.contacts = contacts;
        this.jdbc = jdbc;
        this.tx = tx;
        this.sms = senders.stream().filter(s -> s.channel() == Channel.SMS).findFirst();
        this.settings = properties.phoneVerification();
    }

    Duration codeTtl() {
        return settings.codeTtl();
    }

    /** The outcome of asking for a code. */
    sealed interface CodeRequest {
        record Sent(String phone) implements CodeRequest {}

        record NoPhone() implements CodeRequest {}

        record AlreadyVerified() implements CodeRequest {}

        /** A code for this number is still pending and none was asked for explicitly. */
        record Pending() implements CodeRequest {}

        record TooSoon(Duration retryAfter) implements CodeRequest {}

        record SmsUnavailable() implements CodeRequest {}
    }

    /** The outcome of confirming a code. */
    sealed interface Confirmation {
        record Verified() implements Confirmation {}

        record NothingPending() implements Confirmation {}

        record Expired() implements Confirmation {}

        record Wrong(int attemptsLeft) implements Confirmation {}
    }

    /** What the transaction decided: {@code code} to send when the outcome is {@link CodeRequest.Sent}. */
    private record Decision(CodeRequest outcome, @Nullable String code) {
        Decision(CodeRequest refused) {
            this(refused, null);
        }
    }

    /**
     * Sends a new code to the user's stored, unverified phone, replacing any pending one; with
     * {@code onlyIfNonePending} nothing is sent while a code for the number is still valid (a preferences
     * write that keeps the number).
     */
    CodeRequest sendCode(String userId, boolean onlyIfNonePending) {
        if (sms.isEmpty() || !sms.get().enabled()) {
            return new CodeRequest.SmsUnavailable();
        }
        Decision decided = tx.execute(status -> issue(userId, onlyIfNonePending));
        if (!(decided.outcome() instanceof CodeRequest.Sent(String phone))) {
            return decided.outcome();
        }
        String code = decided.code();
        try {
            sms.get()
                    .send(new Outgoing(
                            phone,
                            "AIW3",
                            "your verification code is " + code + ". It expires in "
                                    + settings.codeTtl().toMinutes() + " minutes.",
                            "phone_verification",
                            "en",
                            Map.of()));
            return new CodeRequest.Sent(phone);
        } catch (ProviderException e) {
            // The code stays counted: a failing provider is not a way around the limits.
            log.warn("verification code for user {} not sent: {}", userId, e.getMessage());
            return new CodeRequest.SmsUnavailable();
        }
    }

    private Decision issue(String userId, boolean onlyIfNonePending) {
        Optional<Contacts.PhoneState> state = contacts.lockPhone(userId);
        if (state.isEmpty() || state.get().phone() == null) {
            return new Decision(new CodeRequest.NoPhone());
        }
        if (state.get().verified()) {
            return new Decision(new CodeRequest.AlreadyVerified());
        }
        String phone = state.get().phone();
        if (onlyIfNonePending
                && jdbc.sql("""
                                select exists (select 1 from phone_codes
                                    where user_id = :user and phone = :phone and not spent and expires_at > now())""")
                        .param("user", userId)
                        .param("phone", phone)
                        .query(Boolean.class)
                        .single()) {
            return new Decision(new CodeRequest.Pending());
        }
        jdbc.sql("delete from phone_codes where user_id = :user and sent_at <= now() - interval '1 day'")
                .param("user", userId)
                .update();
        Optional<Duration> wait = jdbc.sql("""
                        select count(*) as sent,
                            extract(epoch from (now() - max(sent_at)))::float8 as since_last,
                            extract(epoch from (min(sent_at) + interval '1 day' - now()))::float8 as until_oldest_ages
                        from phone_codes where user_id = :user""")
                .param("user", userId)
                .query((rs, row) -> {
                    long sent = rs.getLong("sent");
                    if (sent == 0) {
                        return Optional.<Duration>empty();
                    }
                    double interval = settings.resendInterval().toMillis() / 1000.0;
                    double sinceLast = rs.getDouble("since_last");
                    if (sinceLast < interval) {
                        return Optional.of(seconds(interval - sinceLast));
                    }
                    if (sent >= settings.codesPerDay()) {
                        return Optional.of(seconds(rs.getDouble("until_oldest_ages")));
                    }
                    return Optional.<Duration>empty();
                })
                .single();
        if (wait.isPresent()) {
            return new Decision(new CodeRequest.TooSoon(wait.get()));
        }
        jdbc.sql("update phone_codes set spent = true where user_id = :user and not spent")
                .param("user", userId)
                .update();
        String code = "%06d".formatted(RANDOM.nextInt(1_000_000));
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        jdbc.sql("""
                        insert into phone_codes (user_id, phone, salt, code_hash, expires_at)
                        values (:user, :phone, :salt, :hash, now() + make_interval(secs => :ttl))""")
                .param("user", userId)
                .param("phone", phone)
                .param("salt", salt)
                .param("hash", hash(salt, userId, phone, code))
                .param("ttl", (double) settings.codeTtl().toSeconds())
                .update();
        return new Decision(new CodeRequest.Sent(phone), code);
    }

    /** Checks the code against the pending one for the user's current phone. */
    Confirmation confirm(String userId, String code) {
        return tx.execute(status -> {
            Optional<Contacts.PhoneState> state = contacts.lockPhone(userId);
            if (state.isEmpty() || state.get().phone() == null) {
                return new Confirmation.NothingPending();
            }
            if (state.get().verified()) {
                return new Confirmation.Verified();
            }
            String phone = state.get().phone();
            record Pending(long id, byte[] salt, byte[] hash, int attempts, boolean expired) {}
            Optional<Pending> pending = jdbc.sql("""
                            select id, salt, code_hash, attempts, expires_at <= now() as expired from phone_codes
                            where user_id = :user and phone = :phone and not spent
                            order by sent_at desc limit 1""")
                    .param("user", userId)
                    .param("phone", phone)
                    .query((rs, row) -> new Pending(
                            rs.getLong("id"),
                            rs.getBytes("salt"),
                            rs.getBytes("code_hash"),
                            rs.getInt("attempts"),
                            rs.getBoolean("expired")))
                    .optional();
            if (pending.isEmpty()) {
                return new Confirmation.NothingPending();
            }
            Pending p = pending.get();
            if (p.expired()) {
                spend(p.id());
                return new Confirmation.Expired();
            }
            if (MessageDigest.isEqual(p.hash(), hash(p.salt(), userId, phone, code))) {
                spend(p.id());
                contacts.phoneVerified(userId, phone);
                return new Confirmation.Verified();
            }
            int attempts = p.attempts() + 1;
            jdbc.sql("update phone_codes set attempts = :attempts, spent = :spent where id = :id")
                    .param("attempts", attempts)
                    .param("spent", attempts >= settings.maxAttempts())
                    .param("id", p.id())
                    .update();
            return new Confirmation.Wrong(Math.max(0, settings.maxAttempts() - attempts));
        });
    }

    private void spend(long id) {
        jdbc.sql("update phone_codes set spent = true where id = :id")
                .param("id", id)
                .update();
    }

    private static Duration seconds(double value) {
        return Duration.ofSeconds(Math.max(1, (long) Math.ceil(value)));
    }

    private static byte[] hash(byte[] salt, String userId, String phone, String code) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            for (String part : List.of(userId, phone, code)) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
