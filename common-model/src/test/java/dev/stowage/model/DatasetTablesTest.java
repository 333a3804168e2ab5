// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The documents table the migration makes is the one the services write and read through {@link DatasetTables}. */
class DatasetTablesTest {

    private static final String MIGRATION = "db/migration/V1__jobs_files_attempts.sql";

    @Test
    void theMigrationsDocumentsTableHasTheDocumentColumnsInOrder() throws IOException {
        List<String> lines = documentsTableBody();

        List<String> columns = lines.stream()
                .filter(line -> !line.startsWith("primary key"))
                .map(line -> line.split("\\s+")[0])
                .toList();
        assertThat(columns).containsExactlyElementsOf(DatasetTables.DOCUMENT_COLUMNS);
        assertThat(lines).contains("primary key (%s, %s)".formatted(DatasetTables.FILE_ID, DatasetTables.ROW));
    }

    @Test
    void documentColumnsAndSystemColumnsShareTheKeyColumns() {
        assertThat(DatasetTables.DOCUMENT_COLUMNS).startsWith(DatasetTables.FILE_ID, DatasetTables.ROW);
        assertThat(DatasetTables.SYSTEM_COLUMNS)
                .containsExactlyInAnyOrder(
                        DatasetTables.FILE_ID, DatasetTables.ROW, DatasetTables.EXTRA, DatasetTables.ABSENT)
                .allMatch(name -> name.startsWith("_"), "starts with an underscore, as no name made of a key does");
    }

    /** The lines between {@code create table ${datasets_schema}._documents (} and its closing {@code );}. */
    private static List<String> documentsTableBody() throws IOException {
        String sql;
        try (InputStream in = DatasetTablesTest.class.getClassLoader().getResourceAsStream(MIGRATION)) {
            assertThat(in).as(MIGRATION).isNotNull();
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher table = Pattern.compile(
                        "create table \\$\\{datasets_schema}\\." + Pattern.quote(DatasetTables.DOCUMENTS)
                                + " \\((.*?)\\n\\);",
                        Pattern.DOTALL)
                .matcher(sql);
        assertThat(table.find()).as("the documents table in " + MIGRATION).isTrue();
        return Arrays.stream(table.group(1).split("\\n"))
                .map(line -> line.strip().replaceAll(",$", "").toLowerCase(Locale.ROOT))
                .filter(line -> !line.isEmpty())
                .toList();
    }
}
