-- The outbox by job instead of by file: an upload's messages are published and confirmed together, so one mark
-- on the job says they all were, instead of a second version of every file row (with new entries in each of its
-- indexes). A job not marked may have files without a message: the gateway's reconciler publishes its QUEUED
-- files again (a file published twice is harmless) and marks it. A replay unmarks the jobs it touches.
alter table jobs add column published_at timestamptz;
update jobs j set published_at = now()
 where not exists (select 1 from files f where f.job_id = j.id and f.published_at is null);
create index jobs_unpublished on jobs (created_at) where published_at is null;
drop index files_unpublished;
alter table files drop column published_at;

-- Every change to a file row tells the gateways which job changed, on channel '<schema>.jobs' (payload: the job
-- id, once per statement and job): they keep the jobs' views in memory until then, and push progress to whoever
-- watches. One trigger call per statement, not per row, whatever the statement touches.
create function notify_job_changes() returns trigger language plpgsql as $$
begin
    perform pg_notify(tg_table_schema || '.jobs', job_id::text) from (select distinct job_id from changed) c;
    return null;
end
$$;
create trigger files_updated after update on files
    referencing new table as changed for each statement execute function notify_job_changes();
create trigger files_deleted after delete on files
    referencing old table as changed for each statement execute function notify_job_changes();
