// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells HotSpot's JIT which code its optimizing compiler (C2) may compile, from a directives file on the class path
 * (the format of {@code jcmd Compiler.directives_add}), before the application starts.
 *
 * <p>Why: a service's per-message path runs through thousands of framework methods (Spring, the AMQP client,
 * Micrometer, HikariCP, Tomcat), each called once per message or per batch. With the default policy each of them
 * crosses C2's threshold in turn, after thousands of messages, and C2 spends far longer on each than C1 does: on a
 * small machine the compilers keep a good share of it busy long after the service started. Framework code left to
 * C1, which compiles it in a fraction of that, runs about as fast for what it does (dispatch, not loops), and the
 * code that does loop (the JSON parser, the analysis, the row encoder, the JDK) still gets C2.
 *
 * <p>Applied through the platform's {@code DiagnosticCommand} MBean, so the policy travels with the jar and holds
 * however the service is started; on a JVM without that command the service starts with the JVM's default policy
 * and says so.
 */
public final class CompilerDirectives {

    private static final Logger log = LoggerFactory.getLogger(CompilerDirectives.class);

    private CompilerDirectives() {}

    /**
     * Adds the directives of the class path resource {@code resource}.
     *
     * @return whether the JVM took them
     */
    public static boolean apply(String resource) {
        try (InputStream directives = CompilerDirectives.class.getClassLoader().getResourceAsStream(resource)) {
            if (directives == null) {
                throw new IllegalStateException("No compiler directives at " + resource + " on the class path");
            }
            Path file = Files.createTempFile("stowage-jit-", ".json");
            try {
                Files.copy(directives, file, StandardCopyOption.REPLACE_EXISTING);
                Object answer = ManagementFactory.getPlatformMBeanServer()
                        .invoke(
                                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                "compilerDirectivesAdd",
                                new Object[] {new String[] {file.toString()}},
                                new String[] {String[].class.getName()});
                if (answer != null && answer.toString().contains("added")) {
                    log.info("Compiler directives {} added", resource);
                    return true;
                }
                log.warn("The JVM did not take the compiler directives {}: {}", resource, answer);
                return false;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException | JMException | RuntimeException e) {
            log.warn("Compiler directives {} not applied, the JVM's default policy holds: {}", resource, e.toString());
            return false;
        }
    }
}
