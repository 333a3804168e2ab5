package dev.stowage.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The copied corpus files in {@code common-model/src/test/resources/corpora} (see the README there). */
public final class Corpora {

    private Corpora() {}

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
