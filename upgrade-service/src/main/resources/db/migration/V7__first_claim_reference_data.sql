-- The first-NFT claim's reference data (ADR 0027, ADR 0030): tier 1 is reached by a claim, judged by the same
-- qualification rules as an upgrade, so it has requirement rows like every other tier: a minimum lifetime
-- trading volume, compared in whole dollars.
insert into tier_requirements (tier_id, code, description, required) values
    (1, 'TRADING_VOLUME_USD', 'Trading volume in USD', 10000);

-- A badge for the first claim, earned in the transaction that completes the claim.
alter table badge_definitions drop constraint badge_definitions_rule_check;
alter table badge_definitions add constraint badge_definitions_rule_check
    check (rule in ('trade_count_at_least', 'trading_volume_at_least', 'upgrades_completed_at_least',
                    'claims_completed_at_least'));

insert into badge_definitions (code, name, description, rule, threshold, sort_order) values
    ('first-nft', 'First NFT', 'Your first AIW3 NFT, claimed to your wallet.', 'claims_completed_at_least', 1, 300);
