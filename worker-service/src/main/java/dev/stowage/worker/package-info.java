// SPDX-License-Identifier: Apache-2.0
/** The worker: consumes one message per file, analyzes the file, stores it in PostgreSQL, acks after commit. */
@NullMarked
package dev.stowage.worker;

import org.jspecify.annotations.NullMarked;
