-- A holding whose NFT is no longer in the holder's wallet (ADR 0029): found when an upgrade is asked for
-- and the chain shows the wallet's associated token account without the NFT. The record stays (it is the
-- history of what the platform minted to whom) but is no longer the user's active NFT, so qualification,
-- GET /api/v1/nft/mine and the one-active-NFT index see it gone. It is not made active again by the service.
alter table user_nfts drop constraint user_nfts_status_check;
alter table user_nfts add constraint user_nfts_status_check check (status in ('active', 'burned', 'transferred'));
alter table user_nfts add column transferred_at timestamptz;
alter table user_nfts add constraint user_nfts_transferred_has_time
    check ((status = 'transferred') = (transferred_at is not null));
