create table upgrade_request (id uuid primary key, user_id text not null, target_tier int not null);
