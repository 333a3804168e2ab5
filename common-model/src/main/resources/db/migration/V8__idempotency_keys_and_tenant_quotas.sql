-- Idempotency-Key of POST /api/v1/jobs: a tenant's key names the job it made for 24 hours. The row is inserted in
-- the transaction that stores the job, so a key never names a job that is not there, and two requests with one key
-- meet at the primary key: the second waits for the first's transaction and finds its row. request_hash is the
-- SHA-256 of the request (parameters, and each file's name, content type and bytes), to tell a retry of the same
-- request from a reuse of the key for another. Rows older than 24 hours are ignored, overwritten by a new request
-- with the same key, and purged by the gateway.
create table idempotency_keys (
    tenant       text not null,
    key          text not null,
    request_hash bytea not null,
    job_id       uuid not null references jobs (id) on delete cascade,
    created_at   timestamptz not null default now(),
    primary key (tenant, key)
);
create index idempotency_keys_by_age on idempotency_keys (created_at);
create index idempotency_keys_by_job on idempotency_keys (job_id);

-- The tenant quota on waiting files (STOWAGE_TENANT_MAX_WAITING_FILES) counts a tenant's files QUEUED or RETRYING
-- on every upload, and the gateway's per-tenant gauge counts them every few seconds. Through jobs, that count would
-- visit every job the tenant ever made; with the tenant on the file row, a partial index holds exactly the waiting
-- files by tenant. The gateway writes it with each file; rows that can still wait (all but DONE) are filled in here.
alter table files add column tenant text;
update files f set tenant = j.tenant from jobs j where j.id = f.job_id and f.status <> 'DONE';
create index files_waiting_by_tenant on files (tenant) where status in ('QUEUED', 'RETRYING');
