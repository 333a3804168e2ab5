// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.TokenStreamLocation;

/**
 * The file breaks one of the {@link JsonLimits}; the message names the limit, its value, the setting that raises
 * it, and where. Permanent: retrying cannot help.
 */
public class JsonLimitException extends RuntimeException {

    JsonLimitException(JsonLimit limit, JsonLimits limits, TokenStreamLocation where, @Nullable Throwable cause) {
        super(JsonRecords.position("Limit exceeded", where) + ": " + limit.describe(limits), cause);
    }

    public JsonLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
