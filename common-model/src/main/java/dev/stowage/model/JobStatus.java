package dev.stowage.model;

/** A job's status, always derived from the statuses of its files. */
public enum JobStatus {
    /** Nothing started yet. */
    QUEUED,
    PROCESSING,
    /** All files DONE. */
    DONE,
    /** All files ended, some FAILED. */
    PARTIALLY_FAILED,
    /** All files ended, none DONE. */
    FAILED;

    public static JobStatus of(int total, int queued, int done, int failed) {
        if (done + failed == total) {
            return failed == 0 ? DONE : done == 0 ? FAILED : PARTIALLY_FAILED;
        }
        return queued == total ? QUEUED : PROCESSING;
    }
}
