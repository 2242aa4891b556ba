-- A phone number receives SMS notifications only once its user has confirmed a one-time code sent to
-- it. Numbers stored before this rule are unverified until their users confirm them.
alter table user_contacts add column phone_verified boolean not null default false;

-- One-time codes sent by SMS. Only a salted hash of the code is kept; a code is spent when it is
-- confirmed, used up by wrong attempts, or replaced by a newer one. Rows older than a day are removed
-- when the same user asks for a new code (the per-day limit reads the last day only).
create table phone_codes (
    id         bigint      generated always as identity primary key,
    user_id    text        not null,
    phone      text        not null,
    salt       bytea       not null,
    code_hash  bytea       not null,
    sent_at    timestamptz not null default now(),
    expires_at timestamptz not null,
    attempts   integer     not null default 0,
    spent      boolean     not null default false
);
create index phone_codes_by_user on phone_codes (user_id, sent_at);

-- A token bucket per user for preference writes, shared by every instance of the service.
create table preference_write_buckets (
    user_id     text             primary key,
    tokens      double precision not null,
    refilled_at timestamptz      not null
);
