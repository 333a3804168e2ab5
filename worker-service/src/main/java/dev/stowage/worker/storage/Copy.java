package dev.stowage.worker.storage;

import java.io.BufferedWriter;
import java.io.IOException;
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

    private static final int MIN_BUFFER = 1 << 13;
    private static final int MAX_BUFFER = 1 << 16;

    private Copy() {}

    /**
     * @param sizeHint about how many bytes the rows come to (the file's size): buffers are sized to it, so that a
     *     small file does not allocate 200 KB of buffers for a few rows
     */
    static long in(JdbcTemplate jdbc, String copySql, long sizeHint, Rows rows) {
        int buffer = (int) Math.max(MIN_BUFFER, Math.min(MAX_BUFFER, sizeHint));
        Long written = jdbc.execute((ConnectionCallback<Long>) connection -> copy(connection, copySql, buffer, rows));
        return written == null ? 0 : written;
    }

    private static long copy(Connection connection, String copySql, int buffer, Rows rows) throws SQLException {
        PGCopyOutputStream copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class), copySql, buffer);
        try {
            Writer out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), buffer);
            long count = rows.write(out);
            out.close(); // ends the COPY; the server reports bad data here
            return count;
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
