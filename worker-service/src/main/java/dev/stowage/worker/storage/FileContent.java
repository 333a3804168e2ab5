// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import dev.stowage.model.ContentChunks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A file's original bytes as the worker reads them: once to analyze, once more to store. A file of one chunk
 * comes with its claim; one of up to {@link #KEPT_CHUNKS} chunks is read once, on first use; both are kept for the
 * second read. A larger one is streamed from its chunk rows on each read, one chunk in memory at a time, so a
 * worker's memory does not grow with file size. The stream reads on a connection of its own: the storing
 * transaction's connection is busy with the COPY that the stream feeds.
 */
public final class FileContent {

    /**
     * Files of up to 8 MiB are kept in memory between the two reads (at most 32 MiB for 4 consumers): reading a
     * file's chunks again would cost PostgreSQL and the worker as much as the first read did.
     */
    static final int KEPT_CHUNKS = 8;

    private final DataSource dataSource;
    private final UUID fileId;
    private final long size;
    private byte[] whole;

    private FileContent(DataSource dataSource, UUID fileId, long size, byte[] whole) {
        this.dataSource = dataSource;
        this.fileId = fileId;
        this.size = size;
        this.whole = whole;
    }

    /** @param whole the bytes, when the file is one chunk and they were read with its claim; else null */
    public static FileContent of(DataSource dataSource, UUID fileId, long size, byte[] whole) {
        return new FileContent(dataSource, fileId, size, whole);
    }

    public long size() {
        return size;
    }

    /** A new stream over all the bytes, from the first. */
    public InputStream open() throws IOException {
        if (whole == null && ContentChunks.count(size) <= KEPT_CHUNKS) {
            try (InputStream chunks = new Chunks()) {
                whole = chunks.readAllBytes();
            }
        }
        return whole != null ? new ByteArrayInputStream(whole) : new Chunks();
    }

    /** Reads chunk after chunk on demand, on its own connection, given back when the stream is closed. */
    private final class Chunks extends InputStream {
        private final int chunks = ContentChunks.count(size);
        private Connection connection;
        private PreparedStatement select;
        private int next;
        private byte[] current = new byte[0];
        private int position;

        @Override
        public int read() throws IOException {
            return fill() ? current[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, n);
            position += n;
            return n;
        }

        private boolean fill() throws IOException {
            while (position == current.length) {
                if (next == chunks) {
                    return false;
                }
                current = fetch(next++);
                position = 0;
            }
            return true;
        }

        private byte[] fetch(int chunk) throws IOException {
            try {
                if (connection == null) {
                    connection = dataSource.getConnection();
                    select = connection.prepareStatement(ContentChunks.SELECT);
                }
                select.setObject(1, fileId);
                select.setInt(2, chunk);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new IOException("File " + fileId + " lacks chunk " + chunk);
                    }
                    return rs.getBytes(1);
                }
            } catch (SQLException e) {
                throw new IOException("Reading chunk " + chunk + " of file " + fileId + " failed", e);
            }
        }

        @Override
        public void close() throws IOException {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    throw new IOException(e);
                } finally {
                    connection = null;
                }
            }
        }
    }
}
