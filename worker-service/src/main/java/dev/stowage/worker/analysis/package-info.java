// SPDX-License-Identifier: Apache-2.0
/**
 * The structure analyzer and SQL naming: a pure library (the JDK, Jackson and common-model only: no Spring, no JDBC,
 * nothing of storage or processing) that reads a file's records and decides how to store them.
 */
@NullMarked
package dev.stowage.worker.analysis;

import org.jspecify.annotations.NullMarked;
