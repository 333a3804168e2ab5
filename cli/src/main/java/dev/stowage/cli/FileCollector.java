// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The files the paths on the command line stand for: a file as given; a directory's JSON files
 * ({@code .json}, {@code .ndjson}, {@code .jsonl}, {@code .geojson}), recursively, in name order; a glob the shell
 * did not expand ({@code 'data/**.json'}) matched from its fixed start.
 */
final class FileCollector {

    private FileCollector() {}

    static List<Path> collect(List<String> arguments) {
        List<Path> files = new ArrayList<>();
        for (String argument : arguments) {
            Path path = Path.of(argument);
            if (Files.isRegularFile(path)) {
                files.add(path);
            } else if (Files.isDirectory(path)) {
                files.addAll(walk(path, Integer.MAX_VALUE, FileCollector::isJson));
            } else if (isGlob(argument)) {
                List<Path> matched = glob(argument);
                if (matched.isEmpty()) {
                    throw new CliException("No file matches " + argument + ".", ExitCodes.CANNOT);
                }
                files.addAll(matched);
            } else {
                throw new CliException("No such file or directory: " + argument, ExitCodes.CANNOT);
            }
        }
        for (Path file : files) {
            if (!Files.isReadable(file)) {
                throw new CliException("Cannot read " + file + ".", ExitCodes.CANNOT);
            }
        }
        return files;
    }

    static boolean isJson(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".json")
                || name.endsWith(".ndjson")
                || name.endsWith(".jsonl")
                || name.endsWith(".geojson");
    }

    private static boolean isGlob(String argument) {
        return argument.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /**
     * The directories before the first element with a wildcard are walked, as deep as the pattern reaches
     * ({@code **} crosses directories); each file's path is matched against the whole pattern.
     */
    private static List<Path> glob(String pattern) {
        String[] elements = pattern.split("/", -1);
        StringBuilder fixed = new StringBuilder();
        int first = 0;
        while (first < elements.length - 1 && !isGlob(elements[first])) {
            fixed.append(elements[first++]).append('/');
        }
        Path root = fixed.isEmpty() ? Path.of(".") : Path.of(fixed.toString());
        int depth = pattern.contains("**") ? Integer.MAX_VALUE : elements.length - first;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        boolean relative = fixed.isEmpty();
        return walk(root, depth, file -> matcher.matches(relative ? root.relativize(file) : file));
    }

    private static List<Path> walk(Path directory, int depth, Predicate<Path> wanted) {
        try (Stream<Path> paths = Files.walk(directory, depth)) {
            return paths.filter(Files::isRegularFile).filter(wanted).sorted().toList();
        } catch (IOException e) {
            throw new CliException("Cannot list " + directory + ": " + e.getMessage(), ExitCodes.CANNOT);
        } catch (UncheckedIOException e) {
            throw new CliException(
                    "Cannot list " + directory + ": " + e.getCause().getMessage(), ExitCodes.CANNOT);
        }
    }
}
