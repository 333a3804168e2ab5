// SPDX-License-Identifier: Apache-2.0
/** The REST front door: takes uploads, answers with job ids at once, and reports progress and results. */
@NullMarked
package dev.stowage.gateway;

import org.jspecify.annotations.NullMarked;
