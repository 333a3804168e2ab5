// SPDX-License-Identifier: Apache-2.0
/** Reading the datasets made so far: their tables, columns (name, SQL type, JSON path), rows and files. */
@NullMarked
package dev.stowage.gateway.datasets;

import org.jspecify.annotations.NullMarked;
