-- The trace context (W3C traceparent) of the transaction that wrote the row: the relay's send continues it.
alter table messaging_outbox add column trace_parent text;
