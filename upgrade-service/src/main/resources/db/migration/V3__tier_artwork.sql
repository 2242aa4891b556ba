-- Each tier's artwork as pinned on IPFS (ADR 0028): the SVG the service ships as artwork/tier-<level>.svg,
-- under the CID the IPFS endpoint answered for it, written only after that CID was checked against the
-- CID of the file's own bytes. A row whose CID is not the shipped file's (the artwork changed) is not used
-- until the new file is pinned.
create table tier_artwork (
    tier_id   integer     primary key references tiers (id),
    file      text        not null check (file ~ '^artwork/tier-[0-9]+\.svg$'),
    cid       text        not null check (cid ~ '^b[a-z2-7]{58}$'),
    pinned_at timestamptz not null default now()
);

-- A tier's image is its pinned artwork: the image URIs the tier rows carried named nothing on IPFS.
alter table tiers drop column image_uri;
