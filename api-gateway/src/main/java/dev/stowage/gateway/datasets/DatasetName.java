// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.datasets;

import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.ProblemType;
import java.util.regex.Pattern;

/**
 * What a dataset may be called, wherever a client names one (the upload's {@code dataset}, the jobs list's filter,
 * {@code /api/v1/datasets/{name}}): a dataset names a table, so it is held to what needs no rewriting.
 */
public final class DatasetName {

    /** For {@code @Schema(pattern = …)}: the OpenAPI document shows the same rule that is checked. */
    public static final String PATTERN = "[A-Za-z][A-Za-z0-9_]{0,62}";

    public static final String RULE = "1 to 63 letters, digits or underscores, starting with a letter";

    /** Compiled once, not for every request. */
    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private DatasetName() {}

    /** @throws ApiProblem {@code invalid-dataset}, naming the parameter, when {@code name} is no dataset name */
    public static String require(String parameter, String name) {
        if (!COMPILED.matcher(name).matches()) {
            throw new ApiProblem(
                    ProblemType.INVALID_DATASET,
                    "Parameter '" + parameter + "' is " + ApiProblem.shown(name) + ": a dataset name is " + RULE + ".");
        }
        return name;
    }
}
