// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import java.util.List;
import java.util.Set;

/**
 * The layout of the tables in the datasets schema: the worker writes them, the gateway reads them back, so both take
 * the names from here. A dataset table has its typed columns between {@link #FILE_ID}, {@link #ROW} and
 * {@link #EXTRA}, {@link #ABSENT}; documents go to the shared {@link #DOCUMENTS} table, made by the first migration
 * with the {@link #DOCUMENT_COLUMNS}.
 */
public final class DatasetTables {

    /** The file a row came from; with {@link #ROW}, the primary key of every table in the datasets schema. */
    public static final String FILE_ID = "_file_id";

    /** The record's position in its file, from 0. */
    public static final String ROW = "_row";

    /** A dataset table's {@code jsonb} of every value no typed column holds exactly, nested as in the record. */
    public static final String EXTRA = "_extra";

    /** A dataset table's {@code text[]} of the typed columns whose key the record lacks (absent, not null). */
    public static final String ABSENT = "_absent";

    /** The columns every dataset table has besides its typed ones; names made from users' keys never take these. */
    public static final Set<String> SYSTEM_COLUMNS = Set.of(FILE_ID, ROW, EXTRA, ABSENT);

    /** The shared table of JSONB documents; users' tables never start with an underscore. */
    public static final String DOCUMENTS = "_documents";

    /** The documents table's tenant and dataset, which its rows are found by. */
    public static final String TENANT = "tenant";

    public static final String DATASET = "dataset";

    /** The documents table's {@code jsonb} document: a record, or a whole file. */
    public static final String DOC = "doc";

    /** The documents table's columns, in table order. */
    public static final List<String> DOCUMENT_COLUMNS = List.of(FILE_ID, ROW, TENANT, DATASET, DOC);

    private DatasetTables() {}
}
