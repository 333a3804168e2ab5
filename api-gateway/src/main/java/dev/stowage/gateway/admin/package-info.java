// SPDX-License-Identifier: Apache-2.0
/** Operators' API: files that failed for good, why, and replaying them with a fresh retry budget. */
@NullMarked
package dev.stowage.gateway.admin;

import org.jspecify.annotations.NullMarked;
