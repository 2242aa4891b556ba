-- The compliance log: append-only, each record committing to the one before (hash chain).
create table audit_record (
    seq            bigint      primary key,
    event_id       uuid        not null unique,
    topic          text        not null,
    kafka_partition int        not null,
    kafka_offset   bigint      not null,
    event_type     text        not null,
    event_version  int         not null,
    record_key     text        not null,
    upgrade_id     uuid,
    correlation_id uuid        not null,
    causation_id   uuid,
    source         text        not null,
    occurred_at    timestamptz not null,
    recorded_at    timestamptz not null,
    envelope       text        not null,
    prev_hash      bytea       not null,
    hash           bytea       not null
);

create index audit_record_by_key on audit_record (record_key, occurred_at);
create index audit_record_by_upgrade on audit_record (upgrade_id) where upgrade_id is not null;
create index audit_record_by_type on audit_record (event_type, occurred_at);
create index audit_record_by_time on audit_record (occurred_at);

-- No update or delete path exists in the code; the database refuses them too, whoever asks.
create function audit_record_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_record is append-only: % is not allowed', tg_op;
end;
$$;

create trigger audit_record_append_only
    before update or delete on audit_record
    for each row execute function audit_record_is_append_only();

create trigger audit_record_no_truncate
    before truncate on audit_record
    for each statement execute function audit_record_is_append_only();

-- The role production connects as (see README): it may read and append, nothing else.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'aiw3_audit_writer') then
        create role aiw3_audit_writer nologin;
    end if;
end;
$$;
revoke all on audit_record from public;
grant select, insert on audit_record to aiw3_audit_writer;
