package dev.stowage.worker.analysis;

import java.util.HashMap;
import java.util.Map;

/**
 * Tells, key by key, whether the current record already had a key (JSON allows it; the last value wins), without
 * a set filled and emptied per record: a key remembers the last record it was seen in. Records of a collection
 * repeat their keys, so after the first record nothing is allocated.
 */
public final class RepeatedKeys {

    /** Forgotten between records beyond this many keys, so a file of ever new keys costs no more memory. */
    private static final int MAX_REMEMBERED = 10_000;

    private final Map<String, long[]> lastSeenIn = new HashMap<>();
    private long record;

    /** The next record begins. */
    public void nextRecord() {
        record++;
        if (lastSeenIn.size() > MAX_REMEMBERED) {
            lastSeenIn.clear();
        }
    }

    /** Whether the current record had {@code key} before. */
    public boolean repeated(String key) {
        long[] seen = lastSeenIn.get(key);
        if (seen == null) {
            lastSeenIn.put(key, new long[] {record});
            return false;
        }
        if (seen[0] == record) {
            return true;
        }
        seen[0] = record;
        return false;
    }
}
