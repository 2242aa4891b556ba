-- The liveness of each SSE gateway instance: its presence reports hold while its lease does. An instance
-- killed without closing its streams reports nobody offline; its lease running out is what ends them.
create table sse_instance (
    instance_id text        primary key,
    started_at  timestamptz not null,
    lease_until timestamptz not null
);
