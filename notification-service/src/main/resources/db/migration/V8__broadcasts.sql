-- What operators broadcast to every online user (POST /api/v1/notifications/broadcasts): who sent which
-- message when. The event itself (realtime-broadcasts) leaves through the outbox in the same transaction.
-- An operator's Idempotency-Key names one broadcast, so a retried request sends nothing twice.
create table broadcasts (
    id              uuid        primary key,
    kind            text        not null check (kind in ('maintenance', 'feature')),
    message         text        not null,
    start_time      timestamptz,
    end_time        timestamptz,
    items           text[]      not null default '{}',
    operator_id     text        not null,
    idempotency_key text,
    event_id        uuid        not null,
    created_at      timestamptz not null default now(),
    unique (operator_id, idempotency_key)
);
