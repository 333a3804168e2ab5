package dev.stowage.model;

/** Names both services agree on in the database. */
public final class SqlNames {

    /** Schema names are configuration, not user data, but still restricted so they never need escaping. */
    public static final String SCHEMA = "[a-z_][a-z0-9_]{0,62}";

    /** The shared table of JSONB documents in the datasets schema; user tables never start with an underscore. */
    public static final String DOCUMENTS_TABLE = "_documents";

    private SqlNames() {}
}
