-- A job can be cancelled: its files not yet started end CANCELLED and are never processed (their messages are
-- acknowledged and dropped when they come up); files being processed finish. cancelled_at is when the cancel
-- took effect: no attempt of the job starts after it.
alter table jobs add column cancelled_at timestamptz;
alter table files drop constraint files_status_check;
alter table files add constraint files_status_check
    check (status in ('QUEUED', 'PROCESSING', 'RETRYING', 'DONE', 'FAILED', 'CANCELLED'));
