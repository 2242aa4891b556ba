-- First-NFT claims (ADR 0030). One row per claim; each event fills its own column, so arrival order does not
-- matter. A claim that failed and was retried ends completed: completed_at decides.
create table claim_funnel (
    claim_id     uuid primary key,
    user_id      text not null,
    initiated_at timestamptz,
    qualified_at timestamptz,
    completed_at timestamptz,
    ended_at     timestamptz,
    end_status   text
);
create index claim_funnel_initiated on claim_funnel (initiated_at);

-- When the user claimed their first NFT (level 1 until an upgrade completes).
alter table user_stats add column claimed_at timestamptz;
