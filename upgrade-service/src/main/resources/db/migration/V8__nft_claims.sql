-- First-NFT claims (ADR 0030): the level-1 NFT minted by the system wallet to the wallet the user signed in
-- with. Once per user and once per wallet, ever: every claim but one that ended unqualified holds the user's
-- and the wallet's one claim (a claim that failed after its retries stays open for an operator's retry, and
-- its mint may have landed). The mint is exactly-once like an upgrade's (ADR 0009): the address is derived
-- from the system key and the claim id, and every signed attempt is recorded before it is sent.
create table nft_claims (
    id             uuid        primary key,
    user_id        text        not null check (length(user_id) between 1 and 128),
    wallet_address text        not null check (length(wallet_address) between 32 and 44),
    tier_id        integer     not null references tiers (id),
    status         text        not null check (status in ('initializing', 'qualification_verified',
                                   'qualification_failed', 'uploading_metadata', 'metadata_uploaded', 'minting_nft',
                                   'mint_confirmed', 'completed', 'failed')),
    version        integer     not null default 0,
    requirements   jsonb,
    metadata_cid   text,
    metadata_uri   text,
    mint_address   text,
    mint_signature text,
    failure_reason text,
    lease_owner    text,
    lease_until    timestamptz,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
create unique index nft_claims_once_per_user on nft_claims (user_id) where status <> 'qualification_failed';
create unique index nft_claims_once_per_wallet on nft_claims (wallet_address) where status <> 'qualification_failed';
create index nft_claims_by_user on nft_claims (user_id, created_at desc);
create index nft_claims_in_flight on nft_claims (lease_until)
    where status in ('qualification_verified', 'uploading_metadata', 'metadata_uploaded', 'minting_nft',
                     'mint_confirmed');

create table claim_idempotency_keys (
    user_id         text        not null,
    idempotency_key text        not null check (length(idempotency_key) between 1 and 200),
    claim_id        uuid        not null references nft_claims (id),
    created_at      timestamptz not null default now(),
    primary key (user_id, idempotency_key)
);

-- A mint attempt is an upgrade's or a claim's.
alter table mint_attempts alter column upgrade_id drop not null;
alter table mint_attempts add column claim_id uuid references nft_claims (id);
alter table mint_attempts add constraint mint_attempts_of_one_process check (num_nonnulls(upgrade_id, claim_id) = 1);
create index mint_attempts_by_claim on mint_attempts (claim_id) where claim_id is not null;

-- A compensation request is an upgrade's (its old NFT burned) or a claim's (nothing burned: the claim waits
-- for an operator's retry).
alter table compensation_requests alter column upgrade_id drop not null;
alter table compensation_requests alter column burn_tx_signature drop not null;
alter table compensation_requests alter column original_tier_id drop not null;
alter table compensation_requests add column claim_id uuid unique references nft_claims (id);
alter table compensation_requests add constraint compensation_requests_of_one_process
    check (num_nonnulls(upgrade_id, claim_id) = 1);
alter table compensation_requests add constraint compensation_requests_upgrade_burned
    check (upgrade_id is null or (burn_tx_signature is not null and original_tier_id is not null));

-- The holding a completed claim created.
alter table user_nfts add column claim_id uuid references nft_claims (id);
