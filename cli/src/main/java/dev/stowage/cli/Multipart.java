// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * A {@code multipart/form-data} body of files (each a part named {@code files}) and an optional {@code dataset}
 * field, read as a stream: each file is opened when the body reaches it and closed after, so an upload of any
 * size holds one read buffer, never a file.
 */
final class Multipart {

    private final List<Path> files;
    private final String dataset;
    private final String boundary = "stowage-" + UUID.randomUUID();

    Multipart(List<Path> files, String dataset) {
        this.files = files;
        this.dataset = dataset;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** A new stream of the whole body (the HTTP client may ask again to resend). */
    InputStream stream() {
        return new SequenceInputStream(new Parts());
    }

    /** The body's pieces in order: each part's head, its file, and at the end the dataset field and the close. */
    private final class Parts implements Enumeration<InputStream> {
        private int next; // 0..2n-1: head/file of each file; 2n: the tail; 2n+1: done

        @Override
        public boolean hasMoreElements() {
            return next <= 2 * files.size();
        }

        @Override
        public InputStream nextElement() {
            if (!hasMoreElements()) {
                throw new NoSuchElementException();
            }
            int piece = next++;
            if (piece == 2 * files.size()) {
                return bytes(tail());
            }
            Path file = files.get(piece / 2);
            if (piece % 2 == 0) {
                return bytes((piece == 0 ? "" : "\r\n") + head(file));
            }
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private String head(Path file) {
        return "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"files\"; filename=\"" + quoted(fileName(file)) + "\"\r\n"
                + "Content-Type: " + contentTypeOf(file) + "\r\n\r\n";
    }

    private String tail() {
        String end = files.isEmpty() ? "" : "\r\n";
        if (dataset != null) {
            end += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"dataset\"\r\n\r\n" + dataset + "\r\n";
        }
        return end + "--" + boundary + "--\r\n";
    }

    static String fileName(Path file) {
        return file.getFileName().toString();
    }

    /** NDJSON by its extension, JSON otherwise (the server decides what the bytes are). */
    static String contentTypeOf(Path file) {
        String name = fileName(file).toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".ndjson") || name.endsWith(".jsonl") ? "application/x-ndjson" : "application/json";
    }

    /** A file name inside a quoted header value, as browsers send it: quotes escaped, line breaks dropped. */
    static String quoted(String name) {
        return name.replace("\r", "").replace("\n", "").replace("\"", "%22");
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
