// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import java.io.IOException;
import java.io.Writer;

/** Writes values in PostgreSQL's COPY text format: tab-separated, {@code \N} for NULL, backslash escapes. */
final class CopyText {

    static final String NULL = "\\N";

    private CopyText() {}

    static void field(Writer out, String value) throws IOException {
        int first = firstSpecial(value);
        if (first == value.length()) {
            out.write(value); // the common case: nothing to escape, one write instead of one per character
            return;
        }
        if (value.indexOf('\0') >= 0) {
            throw new UnstorableValueException("PostgreSQL text cannot hold the NUL character (\\u0000).");
        }
        out.write(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c)
                        && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    // UTF-8 cannot encode it: writing it would silently turn it into '?'.
                    throw new UnstorableValueException(
                            "The text holds a lone UTF-16 surrogate (\\u%04X), which PostgreSQL cannot store."
                                    .formatted((int) c));
                }
                out.write(c);
                out.write(value.charAt(++i));
                continue;
            }
            switch (c) {
                case '\\' -> out.write("\\\\");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                case '\t' -> out.write("\\t");
                default -> out.write(c);
            }
        }
    }

    /** The index of the first character that needs escaping or checking, or the length if there is none. */
    private static int firstSpecial(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\0' || Character.isSurrogate(c)) {
                return i;
            }
        }
        return value.length();
    }
}
