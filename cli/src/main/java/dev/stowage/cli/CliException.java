// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

/** A failure the command reports in one line and ends with its exit code. */
final class CliException extends RuntimeException {

    private final int exitCode;

    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
