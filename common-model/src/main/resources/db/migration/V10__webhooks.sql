-- Webhooks: a job may name a URL that is told, once, when the job ends. Each tenant signs its deliveries with its
-- own secret (HMAC-SHA256), kept here because signing needs it; it is shown to the tenant's admin once.
create table webhook_secrets (
    tenant     text primary key,
    secret     text not null,
    created_at timestamptz not null default now()
);

alter table jobs add column callback_url text;
create index jobs_with_callbacks on jobs (created_at) where callback_url is not null;

-- One delivery per job that ended with a callback URL: the outbox (published_at null until the broker has its
-- message) and the record of its attempts that GET /api/v1/jobs/{id}/deliveries shows.
create table webhook_deliveries (
    id           uuid primary key,
    job_id       uuid not null unique references jobs (id) on delete cascade,
    url          text not null,
    status       text not null default 'PENDING' check (status in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts     int not null default 0,
    last_status  int,
    last_error   text,
    published_at timestamptz,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    delivered_at timestamptz
);
create index webhook_deliveries_unpublished on webhook_deliveries (created_at) where published_at is null;
