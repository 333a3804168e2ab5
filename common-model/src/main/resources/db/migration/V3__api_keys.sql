-- API keys added and revoked at run time through the admin API (the bootstrap keys of STOWAGE_API_KEYS live only
-- in the gateway's memory). Only a SHA-256 hash of each key is kept: keys are 256-bit random tokens, so a fast
-- hash is enough, and a leaked table reveals no usable key.
create table api_keys (
    id         uuid primary key,
    key_hash   bytea not null unique,
    tenant     text not null,
    role       text not null check (role in ('USER', 'ADMIN')),
    name       text not null,
    created_at timestamptz not null default now(),
    revoked_at timestamptz
);
create index api_keys_by_tenant on api_keys (tenant, created_at);
