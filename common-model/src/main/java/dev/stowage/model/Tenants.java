// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import java.util.regex.Pattern;

/**
 * Every job, file, dataset and dead letter belongs to the tenant of the API key that created it. A tenant's name
 * becomes part of a schema name ({@link DatasetsProperties#schemaFor}), so it is held to what needs no escaping.
 */
public final class Tenants {

    /** The tenant of a single-team installation; its tables live in the datasets schema itself. */
    public static final String DEFAULT = "default";

    /** 1 to 30 lower-case letters, digits or underscores, starting with a letter. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,29}");

    private Tenants() {}

    public static String requireValid(String tenant) {
        if (!NAME.matcher(tenant).matches()) {
            throw new IllegalArgumentException("Tenant '" + tenant + "' is not a valid name: use 1 to 30 lower-case"
                    + " letters, digits or underscores, starting with a letter.");
        }
        return tenant;
    }
}
