-- The W3C trace context (traceparent) of the request that started an upgrade or a claim (ADR 0036): every
-- later step of the process (the confirmed burn, the pipeline's steps, a timer's expiry) opens its span with
-- it as parent, so one upgrade is one trace. Nullable: rows written before it, or outside any span, have none
-- and their steps start traces of their own.
alter table upgrade_requests add column trace_parent text;
alter table nft_claims add column trace_parent text;
