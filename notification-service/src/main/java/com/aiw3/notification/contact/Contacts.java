package com.aiw3.notification.contact;

import java.sql.Time;
import java.util.Optional;
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
                        select user_id, email, phone, push_token, locale, email_opt_out, sms_opt_out, push_opt_out,
                            quiet_hours_start, quiet_hours_end, time_zone
                        from user_contacts where user_id = :user""")
                .param("user", userId)
                .query((rs, row) -> new Contact(
                        rs.getString("user_id"),
                        rs.getString("email"),
                        rs.getString("phone"),
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
                        rs.getString("time_zone")))
                .optional();
    }

    public void save(Contact c) {
        jdbc.sql("""
                        insert into user_contacts (user_id, email, phone, push_token, locale, email_opt_out, sms_opt_out,
                            push_opt_out, quiet_hours_start, quiet_hours_end, time_zone, updated_at)
                        values (:user, :email, :phone, :push, :locale, :emailOut, :smsOut, :pushOut, :qs, :qe, :tz, now())
                        on conflict (user_id) do update set email = excluded.email, phone = excluded.phone,
                            push_token = excluded.push_token, locale = excluded.locale,
                            email_opt_out = excluded.email_opt_out, sms_opt_out = excluded.sms_opt_out,
                            push_opt_out = excluded.push_opt_out, quiet_hours_start = excluded.quiet_hours_start,
                            quiet_hours_end = excluded.quiet_hours_end, time_zone = excluded.time_zone,
                            updated_at = now()""")
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
                .update();
    }
}
