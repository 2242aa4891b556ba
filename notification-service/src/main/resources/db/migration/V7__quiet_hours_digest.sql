-- A user may ask for one digest of what their quiet hours held back, by email or by push, when they end.
alter table user_contacts add column quiet_hours_digest text check (quiet_hours_digest in ('email', 'push'));

-- A notification suppressed by quiet hours for such a user waits for the end of those quiet hours
-- (digest_due); the digest that summed it up is then recorded (digest_id, the digest's own notification).
-- Its id is derived from the user and the end of the quiet hours, so a window gets one digest whichever
-- instance makes it, however often it is retried.
alter table notifications
    add column digest_due timestamptz,
    add column digest_id  uuid;
create index notifications_digest_due on notifications (digest_due) where digest_due is not null;
