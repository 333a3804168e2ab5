// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a file's bytes on and keeps the last {@value #KEPT} of them, so that when the parser fails near where it
 * stopped reading, the failure can be told apart from a file that is not UTF-8 at all: a Latin-1 byte inside a
 * property name makes the parser swallow the closing quote and complain, much later, of the end of the file.
 * Costs one copy of each block read, nothing per byte.
 */
final class RecentBytes extends FilterInputStream {

    static final int KEPT = 16 * 1024;

    /** A byte that starts no UTF-8 character where it stands. */
    record NotUtf8(long offset, int value) {}

    private final byte[] ring = new byte[KEPT];
    private long read;

    RecentBytes(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            ring[(int) (read++ % KEPT)] = (byte) b;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        for (int copied = 0; copied < n; ) {
            int at = (int) ((read + copied) % KEPT);
            int chunk = Math.min(n - copied, KEPT - at);
            System.arraycopy(buffer, offset + copied, ring, at, Math.max(0, chunk));
            copied += chunk;
        }
        read += Math.max(n, 0);
        return n;
    }

    /** The first byte of the kept ones that is not valid UTF-8 (a sequence cut at the kept range's start is not). */
    NotUtf8 firstNotUtf8() {
        long start = Math.max(0, read - KEPT);
        long i = start;
        // Skip continuation bytes at the start: their lead byte is no longer kept.
        while (i < read && (at(i) & 0xC0) == 0x80) {
            i++;
        }
        while (i < read) {
            int b = at(i);
            int length = b < 0x80
                    ? 1
                    : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            if (length == 0) {
                return new NotUtf8(i, b);
            }
            for (int k = 1; k < length; k++) {
                if (i + k >= read) {
                    return null; // cut short by the end of what was read: the parser's own message says so
                }
                if ((at(i + k) & 0xC0) != 0x80) {
                    return new NotUtf8(i, b);
                }
            }
            i += length;
        }
        return null;
    }

    private int at(long offset) {
        return ring[(int) (offset % KEPT)] & 0xFF;
    }
}
