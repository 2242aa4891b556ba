create table applied_effect (event_id uuid primary key, upgrade_id uuid not null, applied_at timestamptz not null default now());
