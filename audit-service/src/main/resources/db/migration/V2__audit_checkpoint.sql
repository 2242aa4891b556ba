-- Points up to which the chain has been verified: a verification resumes from the newest one instead of
-- recomputing every link, so an answer stays within the gateway's timeout however long the log grows.
-- A checkpoint keeps the hash its record had when it was verified: rewriting any record at or before it
-- (and every later hash with it) shows as a mismatch at the checkpoint. A record edited in place behind a
-- checkpoint is found by the scheduled full verification, which walks the chain from the start.
create table audit_checkpoint (
    seq         bigint      primary key,
    hash        bytea       not null,
    verified_at timestamptz not null
);

grant select, insert on audit_checkpoint to aiw3_audit_writer;
