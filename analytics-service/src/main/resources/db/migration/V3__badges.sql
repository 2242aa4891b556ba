-- Badges of each user (ADR 0031): one row per user and badge, each event filling its own column once, so a
-- redelivered or republished BadgeEarned or BadgeActivated counts once and arrival order does not matter.
create table user_badges (
    user_id      text        not null,
    badge_id     text        not null,
    earned_at    timestamptz,
    activated_at timestamptz,
    primary key (user_id, badge_id)
);

-- The platform's totals, raised when a column above is filled for the first time.
create table badge_totals (
    figure text   primary key check (figure in ('earned', 'activated')),
    total  bigint not null
);
insert into badge_totals (figure, total) values ('earned', 0), ('activated', 0);
