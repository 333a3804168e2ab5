// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompilerDirectivesTest {

    @Test
    void directivesTheJvmCannotParseOrFindLeaveTheDefaultPolicyAndSaySo() {
        assertThat(CompilerDirectives.apply("jit/broken.json")).isFalse();
        assertThat(CompilerDirectives.apply("jit/nowhere.json")).isFalse();
    }
}
