// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

/** What happens to a delivery once its file's outcome is recorded (or could not be). */
enum Outcome {
    /** Stored, skipped as a duplicate, or handed on to a retry tier or the DLQ with a confirmed publish. */
    ACK,
    /** Dead-letter natively: the failure is recorded but our marked copy could not be published. */
    REJECT,
    /** Give the message back: neither the database nor the broker could take the next step. */
    REQUEUE
}
