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

    private static final int BUFFER = 1 << 16;

    private Copy() {}

    static long in(JdbcTemplate jdbc, String copySql, Rows rows) {
        Long written = jdbc.execute((ConnectionCallback<Long>) connection -> copy(connection, copySql, rows));
        return written == null ? 0 : written;
    }

    private static long copy(Connection connection, String copySql, Rows rows) throws SQLException {
        PGCopyOutputStream copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class), copySql, BUFFER);
        try {
            Writer out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), BUFFER);
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
