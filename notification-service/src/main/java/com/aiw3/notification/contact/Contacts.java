package com.aiw3.notification.contact;

import com.aiw3.events.notification.Channel;
import java.sql.Time;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
public class Contacts {

    private final JdbcClient jdbc;

    Contacts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Contact> find(String userId) {
        return jdbc.sql("""
                        select user_id, email, phone, phone_verified, push_token, locale, email_opt_out, sms_opt_out,
                            push_opt_out, quiet_hours_start, quiet_hours_end, time_zone, quiet_hours_digest
                        from user_contacts where user_id = :user""")
                .param("user", userId)
                .query((rs, row) -> new Contact(
                        rs.getString("user_id"),
                        rs.getString("email"),
                        rs.getString("phone"),
                        rs.getBoolean("phone_verified"),
                        rs.getString("push_token"),
                        rs.getString("locale"),
                        rs.getBoolean("email_opt_out"),
                        rs.getBoolean("sms_opt_out"),
                        rs.getBoolean("push_opt_out"),
                        rs.getTime("quiet_hours_start") == null
                                ? null
                                : rs.getTime("quiet_hours_start").toLocalTime(),
                        rs.getTime("quiet_hours_end") == null
                                ? null
                                : rs.getTime("quiet_hours_end").toLocalTime(),
                        rs.getString("time_zone"),
                        channel(rs.getString("quiet_hours_digest"))))
                .optional();
    }

    /**
     * Stores the user's choices and returns what is stored. The phone stays verified only when it is the
     * number already stored and verified; a new number starts unverified ({@code c.phoneVerified()} is
     * not taken from the caller).
     */
    Contact save(Contact c) {
        boolean verified = jdbc.sql("""
                        insert into user_contacts (user_id, email, phone, phone_verified, push_token, locale,
                            email_opt_out, sms_opt_out, push_opt_out, quiet_hours_start, quiet_hours_end, time_zone,
                            quiet_hours_digest, updated_at)
                        values (:user, :email, :phone, false, :push, :locale, :emailOut, :smsOut, :pushOut, :qs, :qe,
                            :tz, :digest, now())
                        on conflict (user_id) do update set email = excluded.email, phone = excluded.phone,
                            phone_verified = user_contacts.phone_verified
                                and user_contacts.phone is not distinct from excluded.phone,
                            push_token = excluded.push_token, locale = excluded.locale,
                            email_opt_out = excluded.email_opt_out, sms_opt_out = excluded.sms_opt_out,
                            push_opt_out = excluded.push_opt_out, quiet_hours_start = excluded.quiet_hours_start,
                            quiet_hours_end = excluded.quiet_hours_end, time_zone = excluded.time_zone,
                            quiet_hours_digest = excluded.quiet_hours_digest, updated_at = now()
                        returning phone_verified""")
                .param("user", c.userId())
                .param("email", c.email())
                .param("phone", c.phone())
                .param("push", c.pushToken())
                .param("locale", c.locale())
                .param("emailOut", c.emailOptOut())
                .param("smsOut", c.smsOptOut())
                .param("pushOut", c.pushOptOut())
                .param("qs", c.quietHoursStart() == null ? null : Time.valueOf(c.quietHoursStart()))
                .param("qe", c.quietHoursEnd() == null ? null : Time.valueOf(c.quietHoursEnd()))
                .param("tz", c.timeZone())
                .param(
                        "digest",
                        c.quietHoursDigest() == null
                                ? null
                                : c.quietHoursDigest().wireName())
                .query(Boolean.class)
                .single();
        return new Contact(
                c.userId(),
                c.email(),
                c.phone(),
                verified,
                c.pushToken(),
                c.locale(),
                c.emailOptOut(),
                c.smsOptOut(),
                c.pushOptOut(),
                c.quietHoursStart(),
                c.quietHoursEnd(),
                c.timeZone(),
                c.quietHoursDigest());
    }

    private static @Nullable Channel channel(@Nullable String wireName) {
        return wireName == null ? null : Channel.valueOf(wireName.toUpperCase(Locale.ROOT));
    }

    /** The user's stored phone, locking their row until the transaction ends; empty without contact data. */
    Optional<PhoneState> lockPhone(String userId) {
        return jdbc.sql("select phone, phone_verified from user_contacts where user_id = :user for update")
                .param("user", userId)
                .query((rs, row) -> new PhoneState(rs.getString("phone"), rs.getBoolean("phone_verified")))
                .optional();
    }

    /** Marks the phone verified if it is still the user's number. */
    void phoneVerified(String userId, String phone) {
        jdbc.sql(
                        "update user_contacts set phone_verified = true, updated_at = now() where user_id = :user and phone = :phone")
                .param("user", userId)
                .param("phone", phone)
                .update();
    }

    /** The stored phone ({@code null} when none) and whether its user confirmed it. */
    record PhoneState(String phone, boolean verified) {}
}
