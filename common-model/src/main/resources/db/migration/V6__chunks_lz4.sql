-- Compress file chunks with lz4 rather than pglz: JSON still shrinks to about a third, at a fraction of the CPU
-- (pglz was a large share of PostgreSQL's time while large uploads came in). Servers built without lz4 keep pglz.
do $$
begin
    alter table file_chunks alter column bytes set compression lz4;
exception when others then
    raise notice 'lz4 is not available in this PostgreSQL build; file chunks stay pglz-compressed';
end
$$;
