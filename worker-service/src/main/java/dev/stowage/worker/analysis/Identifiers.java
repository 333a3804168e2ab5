// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import dev.stowage.model.SqlNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * SQL identifiers made from users' data: snake_case {@code [a-z0-9_]}, at most 63 bytes, and always quoted when
 * they reach SQL text (through {@link SqlNames#quote}, the one quoting function).
 */
public final class Identifiers {

    /** PostgreSQL truncates longer identifiers silently; we shorten them ourselves, deterministically. */
    public static final int MAX_BYTES = 63;

    private static final int HASH_CHARS = 8;

    private Identifiers() {}

    /** See {@link SqlNames#quote}: the one quoting function, shared with the gateway. */
    public static String quote(String identifier) {
        return SqlNames.quote(identifier);
    }

    public static String qualified(String schema, String table) {
        return SqlNames.qualified(schema, table);
    }

    /**
     * A table name from a file name: extension dropped, snake_case, starting with a letter (so it never clashes with
     * our own tables, which start with an underscore).
     */
    public static String table(String fileName) {
        String base = fileName.replaceFirst("(?i)\\.(json|ndjson|jsonl|geojson|topojson|txt)$", "");
        String name = snakeCase(base);
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            name = "t_" + name;
        }
        return fit(name.endsWith("_") ? name.substring(0, name.length() - 1) : name, base); // "t_" alone
    }

    /**
     * A column name from a key path, its keys joined by {@code __} ({@code address.city} → {@code address__city}),
     * not in {@code taken}. Deterministic: the same path and taken names give the same name.
     */
    public static String column(List<String> path, Set<String> taken) {
        String original = String.join("\u0000", path);
        String name = path.stream().map(Identifiers::segment).collect(Collectors.joining("__"));
        if (Character.isDigit(name.charAt(0))) {
            name = "c_" + name;
        }
        name = fit(name, original);
        String candidate = name;
        for (int n = 2; taken.contains(candidate); n++) {
            String suffix = "_" + n;
            candidate = name.substring(0, Math.min(name.length(), MAX_BYTES - suffix.length())) + suffix;
        }
        return candidate;
    }

    /** One key as a name segment: never empty (a key of no usable characters becomes a hash of itself). */
    private static String segment(String key) {
        String name = snakeCase(key);
        return name.isEmpty() ? "col_" + hash(key) : name;
    }

    /**
     * {@code fooBar-Baz 9} → {@code foo_bar_baz_9}: a hump ({@code [a-z0-9][A-Z]}) is split, everything lower-cased,
     * and every run of characters outside {@code [a-z0-9]} becomes one underscore, none at either end. A loop rather
     * than regular expressions, since it runs for every column of every file.
     */
    static String snakeCase(String text) {
        StringBuilder humps = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (i > 0 && c >= 'A' && c <= 'Z' && isLowerOrDigit(text.charAt(i - 1))) {
                humps.append('_');
            }
            humps.append(c);
        }
        String lower = humps.toString().toLowerCase(Locale.ROOT);
        StringBuilder name = new StringBuilder(lower.length());
        boolean separated = false;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (isLowerOrDigit(c)) {
                if (separated && !name.isEmpty()) {
                    name.append('_');
                }
                name.append(c);
                separated = false;
            } else {
                separated = true;
            }
        }
        return name.toString();
    }

    private static boolean isLowerOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** Shortens to 63 bytes with a hash of the original, so two long names with one prefix stay apart. */
    private static String fit(String name, String original) {
        if (name.length() <= MAX_BYTES) { // ASCII only by now: characters are bytes
            return name;
        }
        return name.substring(0, MAX_BYTES - HASH_CHARS - 1) + "_" + hash(original);
    }

    private static String hash(String original) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(original.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
