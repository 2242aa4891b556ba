package com.aiw3.notification.presence;

import com.aiw3.events.presence.PresenceEvent;
import java.sql.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who is online, as sse-gateway instances report it: one row per (user, instance), the newest report
 * wins (reports can arrive out of order across partitions of different keys only; one user's are ordered).
 */
@Component
public class Presence {

    private final JdbcClient jdbc;

    Presence(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean online(String userId) {
        return jdbc.sql("select exists (select 1 from presence where user_id = :user and online)")
                .param("user", userId)
                .query(Boolean.class)
                .single();
    }

    public void record(PresenceEvent event) {
        boolean online = event instanceof PresenceEvent.UserCameOnline;
        int streams = event instanceof PresenceEvent.UserCameOnline on ? on.openStreams() : 0;
        var since = switch (event) {
            case PresenceEvent.UserCameOnline on -> on.since();
            case PresenceEvent.UserWentOffline off -> off.since();
        };
        jdbc.sql("""
                        insert into presence (user_id, instance_id, online, open_streams, since)
                        values (:user, :instance, :online, :streams, :since)
                        on conflict (user_id, instance_id) do update
                            set online = excluded.online, open_streams = excluded.open_streams, since = excluded.since
                            where presence.since <= excluded.since""")
                .param("user", event.userId())
                .param("instance", event.instanceId())
                .param("online", online)
                .param("streams", streams)
                .param("since", Timestamp.from(since))
                .update();
    }
}
