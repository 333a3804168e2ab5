// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

/** A job's status, always derived from the statuses of its files when it is read. */
public enum JobStatus {
    /** Nothing started yet. */
    QUEUED,
    PROCESSING,
    /** All files DONE. */
    DONE,
    /** All files ended, some FAILED. */
    PARTIALLY_FAILED,
    /** All files ended, none DONE. */
    FAILED,
    /** Cancelled, and nothing of it runs any more: the files not started then ended CANCELLED. */
    CANCELLED;
}
