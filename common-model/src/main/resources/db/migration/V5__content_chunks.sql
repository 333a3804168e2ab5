-- A file's original bytes in chunks (ContentChunks.SIZE, 1 MiB, the last one shorter), so that neither service
-- ever holds a whole large file in memory: the gateway writes them as the upload streams in, workers read them
-- one at a time while they parse. A file that fits one chunk is one row, as before.
create table file_chunks (
    file_id uuid not null references files (id) on delete cascade,
    chunk   int not null,
    bytes   bytea not null,
    primary key (file_id, chunk)
);
insert into file_chunks (file_id, chunk, bytes) select file_id, 0, bytes from file_contents;
drop table file_contents;
