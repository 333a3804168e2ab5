// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordKeysTest {

    private static final class Key extends RecordKeys.Key {
        Key(String name) {
            super(List.of(name));
        }
    }

    private final RecordKeys<Key> keys = new RecordKeys<>(Key::new);

    @Test
    void aKeyMetTwiceInOneRecordIsRepeatedButNotAcrossRecords() {
        keys.nextRecord();
        Key a = keys.get("a");
        assertThat(keys.metAgain(a)).isFalse();
        assertThat(keys.metAgain(keys.get("b"))).isFalse();
        assertThat(keys.metAgain(keys.get("a")))
                .as("a again in the same record")
                .isTrue();

        keys.nextRecord();
        assertThat(keys.get("a")).isSameAs(a);
        assertThat(keys.metAgain(a)).as("a in the next record").isFalse();
        assertThat(a.path()).containsExactly("a");
    }

    @Test
    void keysBeyondTheLimitAreForgottenBetweenRecords() {
        keys.nextRecord();
        Key first = keys.get("k0");
        for (int i = 1; i <= RecordKeys.MAX_KEYS; i++) {
            keys.get("k" + i);
        }
        assertThat(keys.get("k0")).as("kept within the record").isSameAs(first);

        keys.nextRecord();
        assertThat(keys.get("k0")).isNotSameAs(first);
    }
}
