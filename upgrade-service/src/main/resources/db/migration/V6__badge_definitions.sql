-- The badges a user can earn, as data (ADR 0027): a badge is earned when its rule holds for the user.
-- Rules are evaluated where the facts change: trade_count_at_least and trading_volume_at_least in the
-- transaction that records a trade (the volume compared in whole dollars, as qualification does),
-- upgrades_completed_at_least in the transaction that completes an upgrade. A new badge is a new row here,
-- in a migration; a rule kind that is not listed in the check needs code that evaluates it.
create table badge_definitions (
    code        text    primary key check (code ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    name        text    not null,
    description text    not null,
    rule        text    not null
        check (rule in ('trade_count_at_least', 'trading_volume_at_least', 'upgrades_completed_at_least')),
    threshold   bigint  not null check (threshold > 0),
    sort_order  integer not null unique
);

-- Enough badges for every tier: by the volume a tier requires, the volume badges, the first trade and one
-- badge per upgrade reach the activated badges every tier up to it requires (2, 4, 5 and 6 more);
-- the trade-count badges give room to spare.
insert into badge_definitions (code, name, description, rule, threshold, sort_order) values
    ('first-trade',     'First Trade',      'Your first trade on AIW3.',                 'trade_count_at_least',        1,        10),
    ('trades-10',       'Regular',          '10 trades.',                                'trade_count_at_least',        10,       20),
    ('trades-100',      'Centurion',        '100 trades.',                               'trade_count_at_least',        100,      30),
    ('trades-1000',     'Market Regular',   '1,000 trades.',                             'trade_count_at_least',        1000,     40),
    ('volume-100k',     'Volume 100K',      'A trading volume of 100,000 USD.',          'trading_volume_at_least',     100000,   110),
    ('volume-250k',     'Volume 250K',      'A trading volume of 250,000 USD.',          'trading_volume_at_least',     250000,   120),
    ('volume-500k',     'Volume 500K',      'A trading volume of 500,000 USD.',          'trading_volume_at_least',     500000,   130),
    ('volume-1m',       'Volume 1M',        'A trading volume of 1,000,000 USD.',        'trading_volume_at_least',     1000000,  140),
    ('volume-2500k',    'Volume 2.5M',      'A trading volume of 2,500,000 USD.',        'trading_volume_at_least',     2500000,  150),
    ('volume-5m',       'Volume 5M',        'A trading volume of 5,000,000 USD.',        'trading_volume_at_least',     5000000,  160),
    ('volume-7500k',    'Volume 7.5M',      'A trading volume of 7,500,000 USD.',        'trading_volume_at_least',     7500000,  170),
    ('volume-10m',      'Volume 10M',       'A trading volume of 10,000,000 USD.',       'trading_volume_at_least',     10000000, 180),
    ('volume-15m',      'Volume 15M',       'A trading volume of 15,000,000 USD.',       'trading_volume_at_least',     15000000, 190),
    ('volume-20m',      'Volume 20M',       'A trading volume of 20,000,000 USD.',       'trading_volume_at_least',     20000000, 200),
    ('volume-25m',      'Volume 25M',       'A trading volume of 25,000,000 USD.',       'trading_volume_at_least',     25000000, 210),
    ('volume-35m',      'Volume 35M',       'A trading volume of 35,000,000 USD.',       'trading_volume_at_least',     35000000, 220),
    ('volume-50m',      'Volume 50M',       'A trading volume of 50,000,000 USD.',       'trading_volume_at_least',     50000000, 230),
    ('first-upgrade',   'First Upgrade',    'Your first NFT upgrade.',                   'upgrades_completed_at_least', 1,        310),
    ('second-upgrade',  'Second Upgrade',   'Two NFT upgrades.',                         'upgrades_completed_at_least', 2,        320),
    ('third-upgrade',   'Third Upgrade',    'Three NFT upgrades.',                       'upgrades_completed_at_least', 3,        330);

-- A user earns a badge once (ADR 0027); earned_at orders a user's badges.
alter table badges add column earned_at timestamptz not null default now();
create unique index badges_one_per_user_and_code on badges (user_id, code);
-- The consumption order of an upgrade: the earliest activated first.
create index badges_activated_by_user on badges (user_id, activated_at) where status = 'activated';
