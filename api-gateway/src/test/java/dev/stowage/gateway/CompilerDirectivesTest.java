// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.model.CompilerDirectives;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The service's compiler directives parse, and this JVM applies them (the service adds them as it starts). */
class CompilerDirectivesTest {

    @Test
    void theServicesDirectivesAreTakenByTheJvm() throws Exception {
        String before = directives();
        assertThat(CompilerDirectives.apply("jit/directives.json")).isTrue();
        String after = directives();
        assertThat(after.split("Directive:", -1)).hasSize(before.split("Directive:", -1).length + 1);
        assertThat(after.substring(0, after.indexOf("Directive: (default)")))
                .contains("*.*")
                .contains("Exclude:true");
    }

    private static String directives() throws Exception {
        return ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "compilerDirectivesPrint",
                        new Object[] {new String[0]},
                        new String[] {String[].class.getName()})
                .toString();
    }
}
