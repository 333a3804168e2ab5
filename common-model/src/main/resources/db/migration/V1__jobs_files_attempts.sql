-- Stowage's own tables. Flyway runs this in the schema named by STOWAGE_DB_SCHEMA (it is the search path).

create table jobs (
    id         uuid primary key,
    tenant     text not null,
    dataset    text,
    total      int not null check (total > 0),
    created_at timestamptz not null default now()
);
create index jobs_by_tenant_newest on jobs (tenant, created_at desc);

-- One row per uploaded file. A job's status and progress are derived from these rows when read, so they can
-- never disagree with them and workers never contend on a per-job row.
create table files (
    id              uuid primary key,
    job_id          uuid not null references jobs (id) on delete cascade,
    ordinal         int not null,
    name            text not null,
    content_type    text not null,
    size_bytes      bigint not null,
    status          text not null default 'QUEUED'
                    check (status in ('QUEUED', 'PROCESSING', 'RETRYING', 'DONE', 'FAILED')),
    attempts        int not null default 0,
    -- attempts - budget_start is the try within the current retry budget; a replay starts a fresh budget.
    budget_start    int not null default 0,
    -- Transactional outbox: null until the broker confirmed the work message; the reconciler publishes the rest.
    published_at    timestamptz,
    next_attempt_at timestamptz,
    storage         text check (storage in ('SQL', 'JSONB')),
    table_name      text,
    records         bigint,
    error           text,
    error_class     text,
    report          jsonb,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    finished_at     timestamptz,
    unique (job_id, ordinal)
);
create index files_unpublished on files (created_at) where published_at is null;
create index files_by_job_status on files (job_id, status);
create index files_failed on files (updated_at desc) where status = 'FAILED';

-- The original bytes, apart from the file rows so that status reads never touch them.
create table file_contents (
    file_id uuid primary key references files (id) on delete cascade,
    bytes   bytea not null
);

-- Every try at a file, by which worker, how it ended.
create table attempts (
    file_id    uuid not null references files (id) on delete cascade,
    attempt    int not null,
    worker     text not null,
    started_at timestamptz not null default now(),
    ended_at   timestamptz,
    -- DUPLICATE: another delivery of the same file was already storing it; this one stood down.
    outcome    text check (outcome in ('DONE', 'RETRY', 'FAILED', 'LOST', 'DUPLICATE')),
    error      text,
    stack_trace text,
    primary key (file_id, attempt)
);

-- The datasets schema holds users' tables; documents that are not record collections share one JSONB table.
create schema if not exists ${datasets_schema};
create table ${datasets_schema}._documents (
    _file_id uuid not null,
    _row     bigint not null,
    tenant   text not null,
    dataset  text not null,
    doc      jsonb not null,
    primary key (_file_id, _row)
);
create index _documents_by_dataset on ${datasets_schema}._documents (tenant, dataset);
create index _documents_doc on ${datasets_schema}._documents using gin (doc jsonb_path_ops);
