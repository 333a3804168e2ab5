// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.datasets;

import dev.stowage.model.DatasetTables;
import dev.stowage.model.DatasetsProperties;
import dev.stowage.model.SqlNames;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Datasets as the catalog, the information schema and the files' rows describe them. */
@Repository
class DatasetQueries {

    private static final String DATASETS = """
            select f.dataset as name, count(*) as files, coalesce(sum(f.records), 0) as records,
                   bool_or(f.storage = 'SQL') as has_table, bool_or(f.storage = 'JSONB') as has_documents,
                   max(f.finished_at) as last_stored_at
              from files f join jobs j on j.id = f.job_id
             where j.tenant = :tenant and f.status = 'DONE' and f.dataset is not null
             group by f.dataset order by f.dataset
            """;
    private static final String FILES = """
            select f.id, f.name, f.storage, f.records, f.finished_at from files f join jobs j on j.id = f.job_id
             where j.tenant = :tenant and f.status = 'DONE' and f.dataset = :dataset order by f.finished_at
            """;
    private static final String COLUMNS = """
            select c.column_name as name, c.data_type as type, d.path
              from information_schema.columns c
              left join dataset_columns d
                on d.tenant = :tenant and d.dataset = :dataset and d.column_name = c.column_name
             where c.table_schema = :schema and c.table_name = :dataset
             order by c.ordinal_position
            """;
    private static final String DOCUMENTS = "select count(*) from %s where %s = :tenant and %s = :dataset";

    record DatasetSummary(
            String name,
            long files,
            long records,
            boolean table,
            boolean documents,
            @Nullable Object lastStoredAt) {}

    record DatasetColumn(String name, String type, @Nullable List<String> path) {}

    record DatasetFile(UUID fileId, String name, String storage, long records) {}

    record Dataset(
            String name,
            @Nullable String table,
            List<DatasetColumn> columns,
            long rows,
            long documents,
            List<DatasetFile> files) {}

    private final JdbcClient sql;
    private final DatasetsProperties datasets;

    DatasetQueries(JdbcClient sql, DatasetsProperties datasets) {
        this.sql = sql;
        this.datasets = datasets;
    }

    List<DatasetSummary> list(String tenant) {
        return sql.sql(DATASETS)
                .param("tenant", tenant)
                .query((rs, n) -> new DatasetSummary(
                        rs.getString("name"),
                        rs.getLong("files"),
                        rs.getLong("records"),
                        rs.getBoolean("has_table"),
                        rs.getBoolean("has_documents"),
                        rs.getObject("last_stored_at", java.time.OffsetDateTime.class)))
                .list();
    }

    Optional<Dataset> find(String tenant, String name) {
        List<DatasetFile> files = sql.sql(FILES)
                .param("tenant", tenant)
                .param("dataset", name)
                .query((rs, n) -> new DatasetFile(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getString("storage"),
                        rs.getLong("records")))
                .list();
        if (files.isEmpty()) {
            return Optional.empty();
        }
        String schema = datasets.schemaFor(tenant);
        List<DatasetColumn> columns = sql.sql(COLUMNS)
                .param("tenant", tenant)
                .param("dataset", name)
                .param("schema", schema)
                .query((rs, n) -> new DatasetColumn(
                        rs.getString("name"),
                        rs.getString("type"),
                        rs.getArray("path") == null
                                ? null
                                : List.of((String[]) rs.getArray("path").getArray())))
                .list();
        long rows = columns.isEmpty()
                ? 0
                : sql.sql("select count(*) from " + SqlNames.qualified(schema, name))
                        .query(Long.class)
                        .single();
        long documents = sql.sql(DOCUMENTS.formatted(
                        SqlNames.qualified(datasets.schema(), DatasetTables.DOCUMENTS),
                        DatasetTables.TENANT,
                        DatasetTables.DATASET))
                .param("tenant", tenant)
                .param("dataset", name)
                .query(Long.class)
                .single();
        String table = columns.isEmpty() ? null : schema + "." + name;
        return Optional.of(new Dataset(name, table, columns, rows, documents, files));
    }
}
