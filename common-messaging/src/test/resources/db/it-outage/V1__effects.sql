-- No unique key on purpose: an effect applied twice shows as two rows.
create table consumed_effect (consumer text not null, event_id uuid not null, applied_at timestamptz not null default now());
