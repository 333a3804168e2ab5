-- The catalog of dataset tables: which JSON key path each column holds. It keeps a path in the same column for
-- every later file of the dataset, and lets the API describe datasets.
create table dataset_columns (
    tenant      text not null,
    dataset     text not null,
    column_name text not null,
    path        text[] not null,
    created_at  timestamptz not null default now(),
    primary key (tenant, dataset, column_name),
    unique (tenant, dataset, path)
);

alter table files add column dataset text;
create index files_by_dataset on files (dataset) where dataset is not null;
