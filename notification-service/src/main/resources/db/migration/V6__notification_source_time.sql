-- When the event a notification comes from was committed at its source (its envelope's occurredAt):
-- the start of the publish-to-send latency of each channel. Null for rows written before it was kept.
alter table notifications add column source_occurred_at timestamptz;
