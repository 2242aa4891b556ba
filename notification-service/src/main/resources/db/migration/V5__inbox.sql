-- The in-app inbox: every notification of a user is an item of their feed, with its read state.
-- Read implies seen; an item is unread until it is read, and counts while it is neither archived nor
-- snoozed into the future. A notification with a grouping key replaces the unread item of the same group
-- (which leaves the feed) and counts how many it stands for.
alter table notifications
    add column seen_at       timestamptz,
    add column read_at       timestamptz,
    add column archived_at   timestamptz,
    add column snoozed_until timestamptz,
    add column group_key     text,
    add column group_count   integer     not null default 1,
    add column in_feed       boolean     not null default true,
    -- A medium or low notification for an offline user is held until then: read in the app by then, it
    -- is not sent by a third party.
    add column fallback_at   timestamptz;

alter table notifications drop constraint notifications_status_check;
alter table notifications add constraint notifications_status_check
    check (status in ('held', 'awaiting_realtime', 'dispatching', 'delivered', 'failed', 'suppressed'));

-- Support alerts are addressed to the support team, not to a user's feed.
update notifications set in_feed = false where template = 'support_alert';

-- The feed's pages and the per-user cap: newest first, one index range per user.
create index notifications_feed on notifications (user_id, created_at desc, id desc);
-- The unread count and the unread filter read only the user's unread items.
create index notifications_unread on notifications (user_id, created_at desc, id desc)
    include (seen_at, snoozed_until, category, group_key)
    where in_feed and read_at is null and archived_at is null;
create index notifications_held on notifications (fallback_at) where status = 'held';
-- Retention: read or archived items expire some time after they were settled.
create index notifications_settled on notifications ((coalesce(archived_at, read_at)))
    where read_at is not null or archived_at is not null;

-- An expired or capped notification takes its deliveries with it.
alter table deliveries drop constraint deliveries_notification_id_fkey;
alter table deliveries add constraint deliveries_notification_id_fkey
    foreign key (notification_id) references notifications (id) on delete cascade;
