// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.testing.BuildExpectations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each service's SBOM ({@code <module>/target/<module>.sbom.json}, CycloneDX, written when the jar is packaged and
 * shipped in the image as {@code /application/sbom.json}) lists exactly the libraries its boot jar holds: the
 * {@code name-version.jar} files of {@code BOOT-INF/lib} and the SBOM's library components, by artifactId and
 * version, are the same set. A library missing on either side fails, naming it. The same for the {@code stowage}
 * command's shaded jar and {@code cli/target/stowage.sbom.json}.
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

        Set<String> inSbom = new TreeSet<>();
        String bootVersion = null;
        for (JsonNode component : libraries(sbom, module)) {
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
        assertSameLibraries(inJar, inSbom);
    }

    /**
     * The {@code stowage} command's jar is shaded: its libraries' classes are merged into it, each with its Maven
     * metadata ({@code META-INF/maven/<group>/<artifact>/pom.properties}), which must name the same libraries at
     * the same versions as {@code cli/target/stowage.sbom.json}.
     */
    @Test
    void theCommandsSbomListsExactlyTheLibrariesShadedIntoItsJar() throws IOException {
        Path jar = Path.of("..", "cli", "target", "stowage.jar");
        Path sbom = Path.of("..", "cli", "target", "stowage.sbom.json");
        assertThat(jar)
                .as("build it first (mvn package, or the full mvn verify)")
                .isRegularFile();
        Set<String> inSbom = new TreeSet<>();
        for (JsonNode component : libraries(sbom, "cli")) {
            inSbom.add(component.path("group").asString() + ":"
                    + component.path("name").asString() + ":"
                    + component.path("version").asString());
        }
        Set<String> inJar = new TreeSet<>();
        try (JarFile shaded = new JarFile(jar.toFile())) {
            for (JarEntry entry : shaded.stream().toList()) {
                if (entry.getName().startsWith("META-INF/maven/")
                        && entry.getName().endsWith("/pom.properties")) {
                    Properties pom = new Properties();
                    try (InputStream in = shaded.getInputStream(entry)) {
                        pom.load(in);
                    }
                    inJar.add(pom.getProperty("groupId") + ":" + pom.getProperty("artifactId") + ":"
                            + pom.getProperty("version"));
                }
            }
            // The jar's own metadata: the SBOM names it as its subject, not as a library.
            assertThat(inJar.remove("dev.stowage:cli:" + BuildExpectations.version()))
                    .as("the command's own pom.properties")
                    .isTrue();
            // picocli is built with Gradle and ships no Maven metadata: its classes stand for it.
            String picocli = inSbom.stream()
                    .filter(library -> library.startsWith("info.picocli:picocli:"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("picocli missing from " + sbom));
            assertThat(shaded.getEntry("picocli/CommandLine.class")).as(picocli).isNotNull();
            inJar.add(picocli);
        }
        assertSameLibraries(inJar, inSbom);
    }

    /** The SBOM's library components, after checking that it describes {@code module} at the POM's version. */
    private static List<JsonNode> libraries(Path sbom, String module) throws IOException {
        assertThat(sbom)
                .as("written by cyclonedx-maven-plugin in the package phase")
                .isRegularFile();
        JsonNode bom = JSON.readTree(Files.readString(sbom));
        JsonNode subject = bom.path("metadata").path("component");
        assertThat(subject.path("name").asString()).isEqualTo(module);
        assertThat(subject.path("version").asString()).isEqualTo(BuildExpectations.version());
        List<JsonNode> libraries = new ArrayList<>();
        for (JsonNode component : bom.path("components")) {
            if (component.path("type").asString().equals("library")) {
                libraries.add(component);
            }
        }
        return libraries;
    }

    /** Fails naming every library that one side has and the other lacks. */
    private static void assertSameLibraries(Set<String> inJar, Set<String> inSbom) {
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
