-- The transactional outbox: rows written in the business transaction, relayed to Kafka after commit.
create table messaging_outbox (
    seq          bigserial primary key,
    event_id     uuid        not null unique,
    topic        text        not null,
    record_key   text        not null,
    event_type   text        not null,
    event_version int        not null,
    envelope     bytea       not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);

-- The relay only ever scans what is still to publish, in commit order.
create index messaging_outbox_pending on messaging_outbox (seq) where published_at is null;
create index messaging_outbox_published on messaging_outbox (published_at) where published_at is not null;

-- The inbox: an event id is recorded in the same transaction as its effect, so a redelivery is a no-op.
create table messaging_processed_event (
    consumer     text        not null,
    event_id     uuid        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);

create index messaging_processed_event_age on messaging_processed_event (processed_at);
