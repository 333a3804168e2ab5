// SPDX-License-Identifier: Apache-2.0
/** What both services agree on: messages, statuses, broker topology names and shared configuration. */
@NullMarked
package dev.stowage.model;

import org.jspecify.annotations.NullMarked;
