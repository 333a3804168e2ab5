// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.util.JsonParserDelegate;

/**
 * Counts each object's keys as they are read, which Jackson's own constraints do not: an object with too many keys
 * fails at the first key over the limit, before the rest of it fills memory. Reading a tree asks for keys through
 * {@link #nextName()} and {@link #nextToken()}, so both are checked.
 */
final class KeyCountingParser extends JsonParserDelegate {

    private final JsonLimits limits;

    KeyCountingParser(JsonParser parser, JsonLimits limits) {
        super(parser);
        this.limits = limits;
    }

    @Override
    public JsonToken nextToken() {
        JsonToken token = super.nextToken();
        if (token == JsonToken.PROPERTY_NAME) {
            checkKeyCount();
        }
        return token;
    }

    @Override
    public @Nullable String nextName() {
        String name = super.nextName();
        if (name != null) {
            checkKeyCount();
        }
        return name;
    }

    private void checkKeyCount() {
        // An object's read context numbers its keys from 0, duplicates included.
        if (streamReadContext().getCurrentIndex() >= limits.maxKeysPerObject()) {
            throw new JsonLimitException(JsonLimit.KEYS_PER_OBJECT, limits, currentTokenLocation(), null);
        }
    }
}
