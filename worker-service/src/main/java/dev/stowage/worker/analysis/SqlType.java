package dev.stowage.worker.analysis;

import java.util.Arrays;
import java.util.Optional;

/**
 * The column types a dataset table uses, from narrowest to widest. Widening never loses a value: integers become
 * numeric, and any other mix becomes {@code jsonb}, which holds every JSON value as it was.
 */
public enum SqlType {
    BOOLEAN("boolean"),
    BIGINT("bigint"),
    NUMERIC("numeric"),
    TEXT("text"),
    JSONB("jsonb");

    private final String sql;

    SqlType(String sql) {
        this.sql = sql;
    }

    public String sql() {
        return sql;
    }

    /** The narrowest type that holds the values of both. */
    public SqlType widen(SqlType other) {
        if (this == other) {
            return this;
        }
        if ((this == BIGINT && other == NUMERIC) || (this == NUMERIC && other == BIGINT)) {
            return NUMERIC;
        }
        return JSONB;
    }

    /** The type of an existing column, as {@code information_schema.columns.data_type} names it. */
    public static Optional<SqlType> ofCatalog(String dataType) {
        return Arrays.stream(values()).filter(t -> t.sql.equals(dataType)).findFirst();
    }
}
