// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.model.DatasetTables;
import dev.stowage.worker.analysis.Column;
import dev.stowage.worker.analysis.SqlType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TablePlanTest {

    private static final Map<String, SqlType> SYSTEM = Map.of(
            DatasetTables.FILE_ID, SqlType.UUID,
            DatasetTables.ROW, SqlType.BIGINT,
            DatasetTables.EXTRA, SqlType.TEXT,
            DatasetTables.ABSENT, SqlType.TEXT);

    @Test
    void aNewTableIsCreatedWithTheSystemColumnsAroundTheFilesColumns() {
        TablePlan plan = plan(
                List.of(column("Name", SqlType.TEXT), column("Year", SqlType.DATE)),
                new TablePlan.Existing(Map.of(), Map.of()));

        assertThat(plan.createsTable()).isTrue();
        assertThat(plan.ddl())
                .containsExactly("create table \"datasets\".\"cars\" (\"_file_id\" uuid not null, \"_row\" bigint not"
                        + " null, \"name\" text, \"year\" date, \"_extra\" jsonb, \"_absent\" text[], primary key"
                        + " (\"_file_id\", \"_row\"))");
        assertThat(plan.columns()).extracting(Column::name).containsExactly("name", "year");
        assertThat(plan.catalogAdditions()).isEqualTo(plan.columns());
        assertThat(plan.changesNothing()).isFalse();
    }

    @Test
    void aTableThatHoldsTheFilesColumnsNeedsNothing() {
        TablePlan plan = plan(List.of(column("Name", SqlType.TEXT)), tableWith("Name", "name", SqlType.TEXT));

        assertThat(plan.changesNothing()).isTrue();
        assertThat(plan.createsTable()).isFalse();
        assertThat(plan.columns()).containsExactly(new Column(List.of("Name"), "name", SqlType.TEXT, 1));
    }

    @Test
    void aPathTheCatalogNamesKeepsItsColumnWhateverTheFileWouldCallIt() {
        TablePlan plan = plan(List.of(column("Name", SqlType.TEXT)), tableWith("Name", "name_2", SqlType.TEXT));

        assertThat(plan.columns()).extracting(Column::name).containsExactly("name_2");
        assertThat(plan.changesNothing()).isTrue();
    }

    @Test
    void aNewPathGetsAnAddedColumnWhoseNameNoOtherColumnHas() {
        TablePlan plan = plan(
                List.of(column("Name", SqlType.TEXT), column("name", SqlType.BIGINT)),
                tableWith("Name", "name", SqlType.TEXT));

        assertThat(plan.ddl()).containsExactly("alter table \"datasets\".\"cars\" add column \"name_2\" bigint");
        assertThat(plan.catalogAdditions()).containsExactly(new Column(List.of("name"), "name_2", SqlType.BIGINT, 1));
        assertThat(plan.columns()).extracting(Column::name).containsExactly("name", "name_2");
    }

    @Test
    void aBigintColumnWidensToNumericForDecimals() {
        TablePlan plan = plan(List.of(column("mpg", SqlType.NUMERIC)), tableWith("mpg", "mpg", SqlType.BIGINT));

        assertThat(plan.ddl()).containsExactly("alter table \"datasets\".\"cars\" alter column \"mpg\" type numeric");
        assertThat(plan.columns()).extracting(Column::type).containsExactly(SqlType.NUMERIC);
        assertThat(plan.catalogAdditions()).isEmpty();
    }

    @Test
    void aColumnOfAnotherTypeStaysAndTheFilesValuesGoToExtra() {
        TablePlan plan = plan(List.of(column("year", SqlType.BIGINT)), tableWith("year", "year", SqlType.DATE));

        assertThat(plan.changesNothing()).isTrue();
        assertThat(plan.columns()).extracting(Column::type).containsExactly(SqlType.DATE);
    }

    @Test
    void aTableWithAllTheColumnsItMayHaveGetsNoMore() {
        TablePlan plan = plan(
                List.of(column("a", SqlType.TEXT), column("b", SqlType.TEXT), column("c", SqlType.TEXT)),
                tableWith("a", "a", SqlType.TEXT),
                2);

        assertThat(plan.columns()).extracting(Column::name).containsExactly("a", "b");
        assertThat(plan.ddl()).containsExactly("alter table \"datasets\".\"cars\" add column \"b\" text");
    }

    /** What the file's columns need of {@code datasets.cars}, a table of at most 200 typed columns. */
    private static TablePlan plan(List<Column> proposed, TablePlan.Existing existing) {
        return plan(proposed, existing, 200);
    }

    private static TablePlan plan(List<Column> proposed, TablePlan.Existing existing, int maxColumns) {
        return TablePlan.of("datasets", "cars", proposed, existing, maxColumns);
    }

    private static Column column(String key, SqlType type) {
        return new Column(List.of(key), "proposed_" + key, type, 1);
    }

    /** A table with the system columns and one typed column, {@code name}, that the catalog records for {@code key}. */
    private static TablePlan.Existing tableWith(String key, String name, SqlType type) {
        Map<String, SqlType> columns = new LinkedHashMap<>(SYSTEM);
        columns.put(name, type);
        return new TablePlan.Existing(columns, Map.of(List.of(key), name));
    }
}
