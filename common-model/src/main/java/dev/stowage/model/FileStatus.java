// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

/**
 * Where one file is in its life: {@code QUEUED → PROCESSING → DONE}, or via {@code RETRYING}, or {@code FAILED}; or
 * {@code CANCELLED} when its job was cancelled before the file started.
 */
public enum FileStatus {
    QUEUED,
    PROCESSING,
    RETRYING,
    DONE,
    FAILED,
    CANCELLED;

    public boolean ended() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
