// SPDX-License-Identifier: Apache-2.0
package dev.stowage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the build says the code under test is: the project's version and the commit it was built from, handed to
 * the tests by Surefire ({@code stowage.build.version}, {@code stowage.build.commit} in the modules' POMs). The
 * tests hold {@code /actuator/info} and {@code stowage --version} to them, so that the version is the POM's
 * everywhere it shows.
 */
public final class BuildExpectations {

    private BuildExpectations() {}

    /** The POM's version, {@code ${project.version}}. */
    public static String version() {
        String version = System.getProperty("stowage.build.version");
        assertThat(version)
                .as("system property stowage.build.version (set by Surefire from ${project.version})")
                .isNotBlank()
                .doesNotStartWith("${");
        return version;
    }

    /**
     * The commit the build saw ({@code ${git.commit.id}}, set by git-commit-id-maven-plugin), or empty where the
     * sources are not a git checkout (a source tarball) and the jar has no git.properties.
     */
    public static Optional<String> commit() {
        String commit = System.getProperty("stowage.build.commit", "");
        return commit.isBlank() || commit.startsWith("${") ? Optional.empty() : Optional.of(commit);
    }

    /**
     * Holds a service's {@code /actuator/info} answer to the build: {@code build.version} is the POM's version and
     * {@code git.commit.id} (abbreviated in Spring Boot's simple mode) is the start of the commit the build saw, or
     * there is no git section at all when the build saw no repository.
     */
    public static void assertInfoMatchesBuild(JsonNode info, String artifact) {
        assertThat(text(info.path("build").path("version")))
                .as("build.version in %s", info)
                .isEqualTo(version());
        assertThat(text(info.path("build").path("artifact")))
                .as("build.artifact in %s", info)
                .isEqualTo(artifact);
        Optional<String> commit = commit();
        if (commit.isPresent()) {
            String id = text(info.path("git").path("commit").path("id"));
            assertThat(id).as("git.commit.id in %s", info).isNotNull().hasSizeGreaterThanOrEqualTo(7);
            assertThat(commit.get()).as("the commit the build saw").startsWith(id);
        } else {
            assertThat(info.has("git"))
                    .as("no git section without a repository: %s", info)
                    .isFalse();
        }
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }
}
