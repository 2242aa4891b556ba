-- Badge activation as a process of its own (ADR 0031): requested -> badge_verified -> activated, or failed.
-- Each step is one conditional update of its row (where status = the step before), published through the
-- outbox in the same transaction. The progress recomputation is published in the activating transaction.
create table badge_activations (
    id             uuid        primary key,
    user_id        text        not null,
    badge_id       uuid        not null references badges (id),
    badge_code     text        not null,
    status         text        not null check (status in ('requested', 'badge_verified', 'activated', 'failed')),
    failure_reason text,
    -- The user's standing against their next tier, computed with the badge activated: the tier (null
    -- without an NFT or at the highest tier) and each requirement's required and actual.
    target_tier_id integer     references tiers (id),
    requirements   jsonb,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
-- One activation per badge that has not failed: two requests for one badge, however concurrent, make one
-- activation, and the second is answered with it.
create unique index badge_activations_one_per_badge on badge_activations (badge_id) where status <> 'failed';
create index badge_activations_by_user on badge_activations (user_id, created_at desc);
-- Activations an instance stopped driving, for the sweeper to resume.
create index badge_activations_in_flight on badge_activations (updated_at)
    where status in ('requested', 'badge_verified');

create table badge_activation_idempotency_keys (
    user_id         text        not null,
    idempotency_key text        not null,
    badge_code      text        not null,
    activation_id   uuid        not null references badge_activations (id),
    created_at      timestamptz not null default now(),
    primary key (user_id, idempotency_key)
);

-- Badges activated before activations were recorded get the activation that did it, so activating one
-- again answers that activation.
insert into badge_activations (id, user_id, badge_id, badge_code, status, created_at, updated_at)
select gen_random_uuid(), user_id, id, code, 'activated', activated_at, activated_at
from badges
where status in ('activated', 'consumed') and activated_at is not null;
