// SPDX-License-Identifier: Apache-2.0
/** Upload intake: stores the job, its files and their bytes in one transaction, then publishes one work message per file (with an outbox for when the broker is away). */
@NullMarked
package dev.stowage.gateway.upload;

import org.jspecify.annotations.NullMarked;
