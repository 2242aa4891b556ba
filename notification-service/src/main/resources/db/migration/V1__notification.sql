-- Who can be reached how, what they allow, and every notification with its deliveries.

create table user_contacts (
    user_id           text        primary key,
    email             text,
    phone             text,        -- E.164
    push_token        text,        -- FCM registration token of the user's device
    locale            text        not null default 'en',
    email_opt_out     boolean     not null default false,
    sms_opt_out       boolean     not null default false,
    push_opt_out      boolean     not null default false,
    quiet_hours_start time,
    quiet_hours_end   time,
    time_zone         text        not null default 'UTC',
    updated_at        timestamptz not null default now()
);

-- One row per (user, sse-gateway instance): a user is online while any instance holds a stream.
create table presence (
    user_id      text        not null,
    instance_id  text        not null,
    online       boolean     not null,
    open_streams integer     not null default 0,
    since        timestamptz not null,
    primary key (user_id, instance_id)
);

create table notifications (
    id                uuid        primary key,
    user_id           text        not null,
    priority          text        not null check (priority in ('high', 'medium', 'low')),
    category          text        not null,
    template          text        not null,
    title             text        not null,
    body              text        not null,
    data              jsonb       not null default '{}',
    status            text        not null
        check (status in ('awaiting_realtime', 'dispatching', 'delivered', 'failed', 'suppressed')),
    realtime_event_id uuid        unique,
    realtime_deadline timestamptz,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);
create index notifications_awaiting_realtime on notifications (realtime_deadline) where status = 'awaiting_realtime';
create index notifications_dispatching on notifications (updated_at) where status = 'dispatching';

-- The dedupe key of "exactly one delivery per notification per channel".
create table deliveries (
    notification_id     uuid        not null references notifications (id),
    channel             text        not null check (channel in ('realtime', 'push', 'email', 'sms')),
    recipient           text        not null default '',
    status              text        not null check (status in ('sending', 'sent', 'failed')),
    attempts            integer     not null default 0,
    provider_message_id text,
    last_error          text,
    updated_at          timestamptz not null default now(),
    primary key (notification_id, channel, recipient)
);
