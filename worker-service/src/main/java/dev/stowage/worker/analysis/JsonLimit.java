// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.exc.StreamConstraintsException;

/** Each of the {@link JsonLimits}: the setting that raises it and what breaking it means, in the user's words. */
enum JsonLimit {
    NESTING_DEPTH(
            "max-nesting-depth", "nesting is deeper than %s levels", JsonLimits::maxNestingDepth, "getMaxNestingDepth"),
    STRING_LENGTH(
            "max-string-length",
            "a string is longer than %s characters",
            JsonLimits::maxStringLength,
            "getMaxStringLength"),
    NUMBER_LENGTH(
            "max-number-length", "a number has more than %s digits", JsonLimits::maxNumberLength, "getMaxNumberLength"),
    KEY_LENGTH(
            "max-key-length",
            "an object has a key longer than %s characters",
            JsonLimits::maxKeyLength,
            "getMaxNameLength"),
    KEYS_PER_OBJECT("max-keys-per-object", "an object has more than %s keys", JsonLimits::maxKeysPerObject, null),
    RECORDS_PER_FILE("max-records-per-file", "the file has more than %s records", JsonLimits::maxRecordsPerFile, null);

    /** The worker's settings are {@code stowage.analyzer.*} ({@code STOWAGE_ANALYZER_*}). */
    private static final String SETTINGS_PREFIX = "stowage.analyzer.";

    private final String setting;
    private final String breach;
    private final ToLongFunction<JsonLimits> value;
    /** The getter Jackson names in its message when its parser enforces this limit; null when we count it. */
    private final @Nullable String jacksonGetter;

    JsonLimit(String setting, String breach, ToLongFunction<JsonLimits> value, @Nullable String jacksonGetter) {
        this.setting = setting;
        this.breach = breach;
        this.value = value;
        this.jacksonGetter = jacksonGetter;
    }

    /** E.g. "an object has more than 3 keys (limit stowage.analyzer.max-keys-per-object, env STOWAGE_ANALYZER_…)". */
    String describe(JsonLimits limits) {
        String environment = (SETTINGS_PREFIX + setting)
                .toUpperCase(Locale.ROOT)
                .replace('.', '_')
                .replace('-', '_');
        return breach.formatted(String.format(Locale.ROOT, "%,d", value.applyAsLong(limits))) + " (limit "
                + SETTINGS_PREFIX + setting + ", env " + environment + ")";
    }

    /**
     * The limit Jackson's parser enforced, from its message ("… exceeds the maximum allowed (5, from
     * `StreamReadConstraints.getMaxStringLength()`)"); empty for a constraint we do not configure.
     */
    static Optional<JsonLimit> enforcedBy(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        return Stream.of(values())
                .filter(limit -> limit.jacksonGetter != null && message.contains(limit.jacksonGetter + "()"))
                .findFirst();
    }
}
