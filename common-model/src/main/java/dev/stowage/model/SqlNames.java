// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

/** Names both services agree on in the database. */
public final class SqlNames {

    /** Schema names are configuration, not user data, but still restricted so they never need escaping. */
    public static final String SCHEMA = "[a-z_][a-z0-9_]{0,62}";

    private SqlNames() {}

    /**
     * {@code "name"}, with embedded quotes doubled: the one function through which every identifier that comes from
     * users' data reaches SQL text, in both services. Refuses NUL, which no identifier may hold.
     */
    public static String quote(String identifier) {
        if (identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Not a usable SQL identifier: " + identifier.replace("\0", "\\0"));
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."table"}. */
    public static String qualified(String schema, String table) {
        return quote(schema) + '.' + quote(table);
    }
}
