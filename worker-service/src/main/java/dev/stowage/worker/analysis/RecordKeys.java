// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The keys of records' own (their top level) as a reader meets them field by field from the parser's tokens: a field
 * costs one lookup, and a key met twice in one record is told apart, so that its last value counts as it does in a
 * tree. The analyzer and the row encoder read records this way and must treat a repeated key alike.
 *
 * <p>Beyond {@link #MAX_KEYS} keys they are forgotten between records, so that a file of ever new keys costs no more
 * memory.
 *
 * @param <K> a key with what its reader keeps for it
 */
public final class RecordKeys<K extends RecordKeys.Key> {

    static final int MAX_KEYS = 10_000;

    /** A key of records' own: its path, and the last record that had it. Readers extend it with what they keep. */
    public abstract static class Key {
        private final List<String> path;
        private long seenIn = -1;

        protected Key(List<String> path) {
            this.path = path;
        }

        public final List<String> path() {
            return path;
        }
    }

    private final Map<String, K> keys = new HashMap<>();
    private final Function<String, K> newKey;
    private long record = -1;

    /** @param newKey makes the key of a name met for the first time (or again, once forgotten) */
    public RecordKeys(Function<String, K> newKey) {
        this.newKey = newKey;
    }

    /** Starts the next record: keys met from now on are met in it. */
    public void nextRecord() {
        record++;
        if (keys.size() > MAX_KEYS) {
            keys.clear();
        }
    }

    /** The key of a field's name. */
    public K get(String name) {
        return keys.computeIfAbsent(name, newKey);
    }

    /** Marks the key as met in the current record; true if it was met in it before: the record repeats it. */
    public boolean metAgain(K key) {
        Key met = key;
        boolean again = met.seenIn == record;
        met.seenIn = record;
        return again;
    }
}
