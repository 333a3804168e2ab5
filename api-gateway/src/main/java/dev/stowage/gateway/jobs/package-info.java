// SPDX-License-Identifier: Apache-2.0
/** Reading jobs: status and progress derived from the files' rows. */
@NullMarked
package dev.stowage.gateway.jobs;

import org.jspecify.annotations.NullMarked;
