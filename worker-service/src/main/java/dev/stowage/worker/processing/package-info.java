// SPDX-License-Identifier: Apache-2.0
/**
 * Consuming work messages: the file's state machine and its retries; a message is acknowledged once its file's
 * outcome is committed. A batch's small files (up to {@link FileProcessor#SHARED_TRANSACTION_MAX_FILE_SIZE} bytes
 * each) share one storing transaction; if it fails, each is stored again in a transaction of its own, so that each
 * fails alone. A larger file is stored in a transaction of its own. A small file's delivery writes its row once,
 * from QUEUED (or RETRYING) to DONE together with its attempt; a redelivered message (its worker may have died on it)
 * and a larger file first claim an attempt (PROCESSING, committed), and a try that fails claims its attempt then.
 */
@NullMarked
package dev.stowage.worker.processing;

import org.jspecify.annotations.NullMarked;
