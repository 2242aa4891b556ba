-- Delivery confirmations of real-time events that no notification was waiting for yet: an event that
-- is itself the real-time delivery (a badge) may be confirmed by sse-gateway before this service has
-- consumed it from its own topic.
create table realtime_confirmations (
    event_id     uuid        primary key,
    confirmed_at timestamptz not null default now()
);
