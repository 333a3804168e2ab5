package dev.stowage.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.worker.analysis.Column;
import dev.stowage.worker.analysis.SqlType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TablePlanTest {

    private static final Map<String, SqlType> SYSTEM =
            Map.of("_file_id", SqlType.UUID, "_row", SqlType.BIGINT, "_extra", SqlType.TEXT, "_absent", SqlType.TEXT);

    @Test
    void aNewTableIsCreatedWithTheSystemColumnsAroundTheFilesColumns() {
        TablePlan plan = TablePlan.of(
                "datasets",
                "cars",
                List.of(column("Name", SqlType.TEXT), column("Year", SqlType.DATE)),
                new TablePlan.Existing(Map.of(), Map.of()),
                200);

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
        TablePlan plan = TablePlan.of(
                "datasets",
                "cars",
                List.of(column("Name", SqlType.TEXT)),
                existing(Map.of("name", SqlType.TEXT), Map.of(List.of("Name"), "name")),
                200);

        assertThat(plan.changesNothing()).isTrue();
        assertThat(plan.createsTable()).isFalse();
        assertThat(plan.columns()).containsExactly(new Column(List.of("Name"), "name", SqlType.TEXT, 1));
    }

    @Test
    void aPathTheCatalogNamesKeepsItsColumnWhateverTheFileWouldCallIt() {
        TablePlan plan = TablePlan.of(
                "datasets",
                "cars",
                List.of(column("Name", SqlType.TEXT)),
                existing(Map.of("name_2", SqlType.TEXT), Map.of(List.of("Name"), "name_2")),
                200);

        assertThat(plan.columns()).extracting(Column::name).containsExactly("name_2");
        assertThat(plan.changesNothing()).isTrue();
    }

    @Test
    void aNewPathGetsAnAddedColumnWhoseNameNoOtherColumnHas() {
        TablePlan plan = TablePlan.of(
                "datasets",
                "cars",
                List.of(column("Name", SqlType.TEXT), column("name", SqlType.BIGINT)),
                existing(Map.of("name", SqlType.TEXT), Map.of(List.of("Name"), "name")),
                200);

        assertThat(plan.ddl()).containsExactly("alter table \"datasets\".\"cars\" add column \"name_2\" bigint");
        assertThat(plan.catalogAdditions()).containsExactly(new Column(List.of("name"), "name_2", SqlType.BIGINT, 1));
        assertThat(plan.columns()).extracting(Column::name).containsExactly("name", "name_2");
    }

    @Test
    void aBigintColumnWidensToNumericForDecimals() {
        TablePlan plan = TablePlan.of(
                "datasets",
                "cars",
                List.of(column("mpg", SqlType.NUMERIC)),
                existing(Map.of("mpg", SqlType.BIGINT), Map.of(List.of("mpg"), "mpg")),
                200);

        assertThat(plan.ddl()).containsExactly("alter table \"datasets\".\"cars\" alter column \"mpg\" type numeric");
        assertThat(plan.columns()).extracting(Column::type).containsExactly(SqlType.NUMERIC);
        assertThat(plan.catalogAdditions()).isEmpty();
    }

    @Test
    void aColumnOfAnotherTypeStaysAndTheFilesValuesGoToExtra() {
        TablePlan plan = TablePlan.of(
                "datasets",
                "cars",
                List.of(column("year", SqlType.BIGINT)),
                existing(Map.of("year", SqlType.DATE), Map.of(List.of("year"), "year")),
                200);

        assertThat(plan.changesNothing()).isTrue();
        assertThat(plan.columns()).extracting(Column::type).containsExactly(SqlType.DATE);
    }

    @Test
    void aTableWithAllTheColumnsItMayHaveGetsNoMore() {
        TablePlan plan = TablePlan.of(
                "datasets",
                "cars",
                List.of(column("a", SqlType.TEXT), column("b", SqlType.TEXT), column("c", SqlType.TEXT)),
                existing(Map.of("a", SqlType.TEXT), Map.of(List.of("a"), "a")),
                2);

        assertThat(plan.columns()).extracting(Column::name).containsExactly("a", "b");
        assertThat(plan.ddl()).containsExactly("alter table \"datasets\".\"cars\" add column \"b\" text");
    }

    private static Column column(String key, SqlType type) {
        return new Column(List.of(key), "proposed_" + key, type, 1);
    }

    /** A table with the system columns and {@code columns}, and its dataset's catalog. */
    private static TablePlan.Existing existing(Map<String, SqlType> columns, Map<List<String>, String> catalog) {
        Map<String, SqlType> all = new LinkedHashMap<>(SYSTEM);
        all.putAll(columns);
        return new TablePlan.Existing(all, catalog);
    }
}
