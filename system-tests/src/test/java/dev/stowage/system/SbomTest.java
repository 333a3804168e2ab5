// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.testing.BuildExpectations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each service's SBOM ({@code <module>/target/<module>.sbom.json}, CycloneDX, written when the jar is packaged and
 * shipped in the image as {@code /application/sbom.json}) lists exactly the libraries its boot jar holds: the
 * {@code name-version.jar} files of {@code BOOT-INF/lib} and the SBOM's library components, by artifactId and
 * version, are the same set. A library missing on either side fails, naming it.
 */
class SbomTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {"api-gateway", "worker-service"})
    void theSbomListsExactlyTheLibrariesOfTheBootJar(String module) throws IOException {
        Path jar = Path.of("..", module, "target", module + ".jar");
        Path sbom = Path.of("..", module, "target", module + ".sbom.json");
        assertThat(jar)
                .as("build it first (mvn package, or the full mvn verify)")
                .isRegularFile();
        assertThat(sbom)
                .as("written by cyclonedx-maven-plugin in the package phase")
                .isRegularFile();

        JsonNode bom = JSON.readTree(Files.readString(sbom));
        JsonNode subject = bom.path("metadata").path("component");
        assertThat(subject.path("name").asString()).isEqualTo(module);
        assertThat(subject.path("version").asString()).isEqualTo(BuildExpectations.version());

        String bootVersion = null;
        Set<String> inSbom = new TreeSet<>();
        for (JsonNode component : bom.path("components")) {
            if (!component.path("type").asString().equals("library")) {
                continue;
            }
            String group = component.path("group").asString();
            String name = component.path("name").asString();
            String version = component.path("version").asString();
            if (group.equals("org.springframework.boot") && name.equals("spring-boot")) {
                bootVersion = version;
            }
            // Spring Boot's starters are dependencies without classes (their manifest says
            // Spring-Boot-Jar-Type: dependencies-starter): the SBOM names them, as the POM does, and repackaging
            // leaves them out of BOOT-INF/lib. What they bring in is listed, and checked, on its own.
            if (group.equals("org.springframework.boot") && name.startsWith("spring-boot-starter")) {
                continue;
            }
            inSbom.add(name + "-" + version + ".jar");
        }
        assertThat(bootVersion).as("spring-boot among the SBOM's libraries").isNotNull();

        Set<String> inJar = new TreeSet<>();
        try (JarFile boot = new JarFile(jar.toFile())) {
            boot.stream()
                    .map(entry -> entry.getName())
                    .filter(name -> name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar"))
                    .map(name -> name.substring("BOOT-INF/lib/".length()))
                    .forEach(inJar::add);
        }
        // Repackaging adds Spring Boot's jar mode tools, which are not a dependency of the service: the image's
        // build runs them (java -Djarmode=tools ... extract) to split the jar into layers. Only that one jar.
        assertThat(inJar.remove("spring-boot-jarmode-tools-" + bootVersion + ".jar"))
                .as("spring-boot-jarmode-tools in BOOT-INF/lib")
                .isTrue();

        assertThat(inJar)
                .as("libraries of %s (BOOT-INF/lib) against its SBOM %s", jar, sbom)
                .hasSizeGreaterThan(50);
        assertThat(difference(inJar, inSbom))
                .as("in the jar, missing from the SBOM")
                .isEmpty();
        assertThat(difference(inSbom, inJar))
                .as("in the SBOM, missing from the jar")
                .isEmpty();
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }
}
