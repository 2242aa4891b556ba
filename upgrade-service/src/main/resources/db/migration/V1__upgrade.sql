-- The upgrade-service's own schema: tiers, the NFTs and badges it upgrades, and the upgrades themselves.

create table tiers (
    id          integer primary key,
    level       integer not null unique,
    name        text    not null,
    symbol      text    not null,
    description text    not null,
    image_uri   text    not null,
    benefits    jsonb   not null default '{}'
);

-- What a user must show to reach a tier. Codes are known to the qualification rules.
create table tier_requirements (
    tier_id     integer not null references tiers (id),
    code        text    not null check (code in ('ACTIVATED_BADGES', 'TRADING_VOLUME_USD')),
    description text    not null,
    required    bigint  not null check (required >= 0),
    primary key (tier_id, code)
);

-- Fed by the trading platform; read here for qualification.
create table user_trading_volume (
    user_id    text           primary key,
    volume_usd numeric(20, 2) not null check (volume_usd >= 0),
    updated_at timestamptz    not null default now()
);

create table user_nfts (
    id             uuid        primary key,
    user_id        text        not null,
    wallet_address text        not null,
    tier_id        integer     not null references tiers (id),
    mint_address   text        not null unique,
    status         text        not null check (status in ('active', 'burned')),
    metadata_uri   text,
    mint_signature text,
    upgrade_id     uuid,
    version        integer     not null default 0,
    created_at     timestamptz not null default now(),
    burned_at      timestamptz
);
create unique index user_nfts_one_active_per_user on user_nfts (user_id) where status = 'active';

create table badges (
    id                  uuid        primary key,
    user_id             text        not null,
    code                text        not null,
    name                text        not null,
    status              text        not null check (status in ('earned', 'activated', 'consumed')),
    activated_at        timestamptz,
    consumed_at         timestamptz,
    consumed_by_upgrade uuid
);
create index badges_by_user_status on badges (user_id, status);

create table upgrade_requests (
    id                 uuid        primary key,
    user_id            text        not null,
    wallet_address     text        not null,
    current_nft_id     uuid        not null references user_nfts (id),
    current_nft_mint   text        not null,
    from_tier_id       integer     not null references tiers (id),
    target_tier_id     integer     not null references tiers (id),
    status             text        not null,
    version            integer     not null default 0,
    requirements       jsonb,
    burn_transaction   text,
    burn_deadline      timestamptz,
    burn_tx_signature  text,
    metadata_cid       text,
    metadata_uri       text,
    new_mint_address   text,
    mint_signature     text,
    failure_reason     text,
    lease_owner        text,
    lease_until        timestamptz,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
-- One open upgrade per user. failed and mint_failed_critical stay open: the old NFT is burned and
-- the upgrade waits for an operator's retry, so the user must not start another one.
create unique index upgrade_requests_one_open_per_user on upgrade_requests (user_id)
    where status not in ('completed', 'cancelled', 'qualification_failed', 'burn_failed');
-- A burn proves one upgrade only.
create unique index upgrade_requests_burn_used_once on upgrade_requests (burn_tx_signature)
    where burn_tx_signature is not null;
create index upgrade_requests_by_user on upgrade_requests (user_id, created_at desc, id desc);
create index upgrade_requests_awaiting_burn on upgrade_requests (burn_deadline) where status = 'awaiting_burn';
create index upgrade_requests_in_flight on upgrade_requests (lease_until)
    where status in ('burn_verified', 'uploading_metadata', 'metadata_uploaded', 'minting_new_nft', 'updating_records');

create table upgrade_idempotency_keys (
    user_id         text        not null,
    idempotency_key text        not null,
    request_hash    text        not null,
    upgrade_id      uuid        not null references upgrade_requests (id),
    created_at      timestamptz not null default now(),
    primary key (user_id, idempotency_key)
);

-- Every mint transaction signed for an upgrade, recorded before it is sent: on recovery the chain is
-- asked about these signatures before anything new is sent.
create table mint_attempts (
    signature    text        primary key,
    upgrade_id   uuid        not null references upgrade_requests (id),
    mint_address text        not null,
    blockhash    text        not null,
    created_at   timestamptz not null default now()
);
create index mint_attempts_by_upgrade on mint_attempts (upgrade_id);

create table compensation_requests (
    id                uuid        primary key,
    upgrade_id        uuid        not null unique references upgrade_requests (id),
    user_id           text        not null,
    reason            text        not null,
    status            text        not null check (status in ('pending_review', 'retrying', 'resolved')),
    original_tier_id  integer     not null,
    target_tier_id    integer     not null,
    burn_tx_signature text        not null,
    last_error        text,
    created_at        timestamptz not null default now(),
    resolved_at       timestamptz
);

-- The product's tiers. Images are pinned on IPFS by the design team.
insert into tiers (id, level, name, symbol, description, image_uri, benefits) values
    (1, 1, 'Tech Chicken',   'AIW3', 'Entry tier of the AIW3 trading NFT.',   'ipfs://bafybeihtechchickenimage', '{"tradingFeeDiscount": "0%", "aiAgentUses": 1}'),
    (2, 2, 'Quant Ape',      'AIW3', 'For traders with a track record.',      'ipfs://bafybeihquantapeimage',     '{"tradingFeeDiscount": "10%", "aiAgentUses": 3}'),
    (3, 3, 'On-chain Hunter','AIW3', 'For active on-chain traders.',          'ipfs://bafybeihonchainhunterimage','{"tradingFeeDiscount": "20%", "aiAgentUses": 10}'),
    (4, 4, 'Alpha Alchemist','AIW3', 'For the top traders of the platform.',  'ipfs://bafybeihalphaalchemistimg','{"tradingFeeDiscount": "30%", "aiAgentUses": 30}'),
    (5, 5, 'Quantum Alchemist','AIW3','The highest tier.',                    'ipfs://bafybeihquantumalchemistim','{"tradingFeeDiscount": "40%", "aiAgentUses": 100}');

insert into tier_requirements (tier_id, code, description, required) values
    (2, 'TRADING_VOLUME_USD', 'Trading volume in USD', 500000),
    (2, 'ACTIVATED_BADGES',   'Activated badges',      2),
    (3, 'TRADING_VOLUME_USD', 'Trading volume in USD', 5000000),
    (3, 'ACTIVATED_BADGES',   'Activated badges',      4),
    (4, 'TRADING_VOLUME_USD', 'Trading volume in USD', 10000000),
    (4, 'ACTIVATED_BADGES',   'Activated badges',      5),
    (5, 'TRADING_VOLUME_USD', 'Trading volume in USD', 50000000),
    (5, 'ACTIVATED_BADGES',   'Activated badges',      6);
