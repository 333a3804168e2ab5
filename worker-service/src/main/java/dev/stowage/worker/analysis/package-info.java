/**
 * The structure analyzer and SQL naming: a pure library (JDK and Jackson only, no Spring, no JDBC) that reads a
 * file's records and decides how to store them.
 */
@NullMarked
package dev.stowage.worker.analysis;

import org.jspecify.annotations.NullMarked;
