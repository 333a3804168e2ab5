// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

/** What the commands exit with. */
final class ExitCodes {

    /** Everything asked for was done: every file DONE. */
    static final int OK = 0;
    /** The command ran, and some file FAILED. */
    static final int FILES_FAILED = 1;
    /** The command could not do what was asked: wrong usage, no key, the server unreachable or refusing. */
    static final int CANNOT = 2;

    private ExitCodes() {}
}
