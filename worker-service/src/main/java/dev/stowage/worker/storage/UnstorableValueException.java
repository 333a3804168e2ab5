// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

/** A value that PostgreSQL cannot hold (such as NUL in text). Permanent: retrying cannot help. */
public class UnstorableValueException extends RuntimeException {

    public UnstorableValueException(String message) {
        super(message);
    }
}
