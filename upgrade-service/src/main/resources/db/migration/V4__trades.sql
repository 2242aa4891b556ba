-- Trades the trading platform executed (topic trading-activity): each trade id once, for ever. The
-- user's volume in user_trading_volume is the sum of their trades' amounts, kept in the same
-- transaction as each insert here (ADR 0027).
create table trades (
    trade_id    text           primary key check (length(trade_id) between 1 and 128),
    user_id     text           not null check (length(user_id) between 1 and 128),
    amount_usd  numeric(18, 8) not null check (amount_usd > 0 and amount_usd <= 1000000000),
    executed_at timestamptz    not null,
    event_id    uuid           not null,
    recorded_at timestamptz    not null default now()
);
create index trades_by_user on trades (user_id, executed_at);

-- A trade amount has up to 8 fractional digits; the volume keeps them all, so the sum is exact.
alter table user_trading_volume alter column volume_usd type numeric(28, 8);
alter table user_trading_volume add column trade_count bigint not null default 0 check (trade_count >= 0);
