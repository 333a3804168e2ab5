package dev.stowage.worker.processing;

/** How handling one delivery ended, and so what happens to the message. */
enum Outcome {
    /** Stored and committed: ack. */
    DONE,
    /** The file had already ended, or another delivery is storing it: ack, nothing to do. */
    SKIPPED,
    /** Permanent failure recorded: reject without requeue, so the broker dead-letters it. */
    FAILED
}
