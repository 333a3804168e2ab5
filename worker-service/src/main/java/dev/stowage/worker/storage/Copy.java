// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** Streams rows into {@code COPY … FROM STDIN} on the transaction's own connection. */
final class Copy {

    /** Writes the rows in COPY text format and says how many. */
    interface Rows {
        long write(Writer out) throws IOException;
    }

    /** Writes the rows in binary COPY format, header and trailer aside, and says how many. */
    interface BinaryRows {
        long write(OutputStream out) throws IOException;
    }

    private static final int MIN_BUFFER = 1 << 13;
    private static final int MAX_BUFFER = 1 << 16;

    private Copy() {}

    /**
     * @param sizeHint about how many bytes the rows come to (the file's size): buffers are sized to it, so that a
     *     small file does not allocate 200 KB of buffers for a few rows
     */
    static long in(JdbcTemplate jdbc, String copySql, long sizeHint, Rows rows) {
        return copy(jdbc, copySql, sizeHint, (copy, buffer) -> {
            Writer out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), buffer);
            long count = rows.write(out);
            out.close(); // ends the COPY; the server reports bad data here
            return count;
        });
    }

    /** The same in binary format: {@code copySql} ends with {@code with (format binary)}. */
    static long binary(JdbcTemplate jdbc, String copySql, long sizeHint, BinaryRows rows) {
        return copy(jdbc, copySql, sizeHint, (copy, buffer) -> {
            copy.write(CopyBinary.HEADER);
            long count = rows.write(copy);
            copy.write(CopyBinary.TRAILER);
            copy.close(); // ends the COPY; the server reports bad data here
            return count;
        });
    }

    private interface Stream {
        long write(PGCopyOutputStream copy, int buffer) throws IOException;
    }

    private static long copy(JdbcTemplate jdbc, String copySql, long sizeHint, Stream stream) {
        int buffer = (int) Math.max(MIN_BUFFER, Math.min(MAX_BUFFER, sizeHint));
        Long written = jdbc.execute((ConnectionCallback<Long>) connection -> copy(connection, copySql, buffer, stream));
        return written == null ? 0 : written;
    }

    private static long copy(Connection connection, String copySql, int buffer, Stream stream) throws SQLException {
        PGCopyOutputStream copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class), copySql, buffer);
        try {
            return stream.write(copy, buffer);
        } catch (IOException e) {
            cancel(copy);
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            cancel(copy);
            throw e;
        }
    }

    private static void cancel(PGCopyOutputStream copy) throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }
}
