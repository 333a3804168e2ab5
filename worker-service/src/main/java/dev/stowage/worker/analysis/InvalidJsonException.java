// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

/** The file is not valid JSON (or JSON Lines); the message says where. Permanent: retrying cannot help. */
public class InvalidJsonException extends RuntimeException {

    private final long byteOffset;

    public InvalidJsonException(String message, Throwable cause) {
        this(message, -1, cause);
    }

    public InvalidJsonException(String message) {
        this(message, -1, null);
    }

    InvalidJsonException(String message, long byteOffset, Throwable cause) {
        super(message, cause);
        this.byteOffset = byteOffset;
    }

    /** Where in the file's bytes the parser stopped, or -1 when that is not known. */
    long byteOffset() {
        return byteOffset;
    }
}
