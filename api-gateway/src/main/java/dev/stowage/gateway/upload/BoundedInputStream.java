// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/** Passes at most {@code max} bytes through and throws the given error at the first byte beyond. */
final class BoundedInputStream extends FilterInputStream {

    private final long max;
    private final Supplier<? extends RuntimeException> tooLarge;
    private long count;

    BoundedInputStream(InputStream in, long max, Supplier<? extends RuntimeException> tooLarge) {
        super(in);
        this.max = max;
        this.tooLarge = tooLarge;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    private void counted(int n) {
        count += n;
        if (count > max) {
            throw tooLarge.get();
        }
    }
}
