// SPDX-License-Identifier: Apache-2.0
package dev.stowage.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** The copied corpus files in {@code common-model/src/test/resources/corpora} (see the README there). */
public final class Corpora {

    private Corpora() {}

    /** The corpus files in one folder, e.g. {@code vega}, as paths for {@link #bytes} and {@link #open}, sorted. */
    public static List<String> list(String folder) {
        try {
            Path location = Path.of(Corpora.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            String prefix = "corpora/" + folder + "/";
            List<String> names = new ArrayList<>();
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.list(location.resolve(prefix))) {
                    files.forEach(file -> names.add(folder + "/" + file.getFileName()));
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    jar.stream()
                            .map(JarEntry::getName)
                            .filter(name -> name.startsWith(prefix) && !name.endsWith("/"))
                            .forEach(name -> names.add(name.substring("corpora/".length())));
                }
            }
            names.removeIf(name -> name.endsWith("LICENSE") || name.endsWith(".md"));
            names.sort(null);
            return names;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("Cannot list the corpus folder " + folder, e);
        }
    }

    /** @param path e.g. {@code vega/cars.json} */
    public static InputStream open(String path) {
        return new ByteArrayInputStream(bytes(path));
    }

    /** @param path e.g. {@code vega/cars.json} */
    public static byte[] bytes(String path) {
        try (InputStream in = Corpora.class.getResourceAsStream("/corpora/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("No corpus file " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
