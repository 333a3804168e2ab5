-- When a job's end-to-end latency was recorded as a metric: each finished job is counted once, by one gateway.
alter table jobs add column completion_recorded_at timestamptz;
create index jobs_completion_pending on jobs (created_at) where completion_recorded_at is null;

-- The oldest waiting file per status, for the backlog-age metrics (and the stuck-file re-driver), without a scan.
create index files_waiting on files (status, updated_at) where status in ('QUEUED', 'RETRYING', 'PROCESSING');
