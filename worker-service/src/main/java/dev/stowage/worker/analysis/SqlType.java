// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import java.util.Arrays;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The column types of a dataset table. A value goes into a column only when {@link #holds} it exactly, so it comes
 * back unchanged; anything else goes to the row's {@code _extra}. The only widening of an existing column is
 * {@code bigint → numeric}, which changes no value.
 */
public enum SqlType {
    BOOLEAN("boolean"),
    BIGINT("bigint"),
    NUMERIC("numeric"),
    DATE("date"),
    TIMESTAMPTZ("timestamp with time zone"),
    UUID("uuid"),
    TEXT("text");

    private final String catalogName;

    SqlType(String catalogName) {
        this.catalogName = catalogName;
    }

    /** The type in DDL. */
    public String sql() {
        return this == TIMESTAMPTZ ? "timestamptz" : catalogName;
    }

    /** Whether a JSON value can be stored in this column and read back unchanged (null fits every column). */
    public boolean holds(JsonNode value) {
        if (value.isNull()) {
            return true;
        }
        return switch (this) {
            case BOOLEAN -> value.isBoolean();
            case BIGINT -> value.isIntegralNumber() && value.canConvertToLong();
            case NUMERIC -> value.isNumber();
            case TEXT, DATE, TIMESTAMPTZ, UUID -> value.isString() && holdsString(value.stringValue());
        };
    }

    /** Whether a JSON string can be stored in this column and read back unchanged. */
    public boolean holdsString(String value) {
        return switch (this) {
            case TEXT -> true;
            case DATE -> Strings.isDate(value);
            case TIMESTAMPTZ -> Strings.isTimestamp(value);
            case UUID -> Strings.isUuid(value);
            case BOOLEAN, BIGINT, NUMERIC -> false;
        };
    }

    /** The type an existing column must have to hold values of both, if one can without changing any value. */
    public Optional<SqlType> widenedFor(SqlType other) {
        if (this == other) {
            return Optional.of(this);
        }
        if ((this == BIGINT && other == NUMERIC) || (this == NUMERIC && other == BIGINT)) {
            return Optional.of(NUMERIC);
        }
        return Optional.empty();
    }

    /** The type of an existing column, as {@code information_schema.columns.data_type} names it. */
    public static Optional<SqlType> ofCatalog(String dataType) {
        return Arrays.stream(values())
                .filter(t -> t.catalogName.equals(dataType))
                .findFirst();
    }
}
