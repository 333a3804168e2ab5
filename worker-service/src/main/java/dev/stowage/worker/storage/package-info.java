// SPDX-License-Identifier: Apache-2.0
/** Writers that put an analyzed file into the datasets schema with COPY: typed tables or JSONB documents. */
@NullMarked
package dev.stowage.worker.storage;

import org.jspecify.annotations.NullMarked;
