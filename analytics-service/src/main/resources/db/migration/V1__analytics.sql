-- Per-user figures. level is the level of the user's latest completed upgrade (by when it happened).
create table user_stats (
    user_id            text primary key,
    level              int not null,
    upgrades_completed int not null default 0,
    badges_consumed    int not null default 0,
    last_upgrade_at    timestamptz,
    updated_at         timestamptz not null default now()
);
create index user_stats_leaderboard on user_stats (level desc, upgrades_completed desc, user_id);

-- One row per upgrade; each event fills its own column, so arrival order does not matter.
create table upgrade_funnel (
    upgrade_id       uuid primary key,
    user_id          text not null,
    initiated_at     timestamptz,
    burn_verified_at timestamptz,
    completed_at     timestamptz,
    ended_at         timestamptz,
    end_status       text
);
create index upgrade_funnel_initiated on upgrade_funnel (initiated_at);

create table notification_delivery_count (
    channel text not null,
    outcome text not null,
    total   bigint not null,
    primary key (channel, outcome)
);

create table realtime_delivery_count (
    outcome text primary key,
    total   bigint not null
);

-- Presence per (user, gateway instance); a user is online while any instance says so.
create table presence (
    user_id     text not null,
    instance_id text not null,
    online      boolean not null,
    since       timestamptz not null,
    primary key (user_id, instance_id)
);
create index presence_online on presence (online) where online;
