package dev.stowage.worker.storage;

import java.io.IOException;
import java.io.Writer;

/** Writes values in PostgreSQL's COPY text format: tab-separated, {@code \N} for NULL, backslash escapes. */
final class CopyText {

    static final String NULL = "\\N";

    private CopyText() {}

    static void field(Writer out, String value) throws IOException {
        if (value.indexOf('\0') >= 0) {
            throw new UnstorableValueException("PostgreSQL text cannot hold the NUL character (\\u0000).");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.write("\\\\");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                case '\t' -> out.write("\\t");
                default -> out.write(c);
            }
        }
    }
}
