package com.aiw3.notification.presence;

import com.aiw3.events.presence.GatewayInstanceEvent.GatewayInstanceAlive;
import com.aiw3.events.presence.PresenceEvent;
import com.aiw3.notification.NotificationProperties;
import java.sql.Timestamp;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who is online, as sse-gateway instances report it: one row per (user, instance), the newest report
 * wins (reports can arrive out of order across partitions of different keys only; one user's are ordered).
 * A report holds while its instance's heartbeat lease does, so an instance that died without closing its
 * streams does not keep its users online (and their notifications waiting for a stream that is gone).
 */
@Component
public class Presence {

    private final JdbcClient jdbc;
    private final Duration withoutHeartbeat;

    Presence(JdbcClient jdbc, NotificationProperties properties) {
        this.jdbc = jdbc;
        this.withoutHeartbeat = properties.presenceWithoutHeartbeat();
    }

    public boolean online(String userId) {
        return jdbc.sql("""
                        select exists (
                            select 1 from presence p left join sse_instance i on i.instance_id = p.instance_id
                            where p.user_id = :user and p.online
                              and (i.lease_until > now()
                                   or (i.instance_id is null and p.since > now() - make_interval(secs => :grace))))""")
                .param("user", userId)
                .param("grace", withoutHeartbeat.toMillis() / 1000.0)
                .query(Boolean.class)
                .single();
    }

    /**
     * Extends the instance's lease. A heartbeat from a newer run of the instance (a restart under the same
     * id) also takes back everything the earlier run reported: none of its streams survived.
     */
    public void record(GatewayInstanceAlive alive) {
        Timestamp startedAt = Timestamp.from(alive.startedAt());
        boolean restarted = jdbc.sql("""
                        select coalesce((select started_at < :started from sse_instance where instance_id = :instance),
                                        false)""")
                .param("started", startedAt)
                .param("instance", alive.instanceId())
                .query(Boolean.class)
                .single();
        jdbc.sql("""
                        insert into sse_instance (instance_id, started_at, lease_until)
                        values (:instance, :started, :until)
                        on conflict (instance_id) do update
                            set started_at = greatest(sse_instance.started_at, excluded.started_at),
                                lease_until = greatest(sse_instance.lease_until, excluded.lease_until)""")
                .param("instance", alive.instanceId())
                .param("started", startedAt)
                .param("until", Timestamp.from(alive.at().plusSeconds(alive.leaseSeconds())))
                .update();
        if (restarted) {
            jdbc.sql("""
                            update presence set online = false, open_streams = 0
                            where instance_id = :instance and online and since < :started""")
                    .param("instance", alive.instanceId())
                    .param("started", startedAt)
                    .update();
        }
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
