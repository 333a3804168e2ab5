/** Consuming work messages: the file's state machine, one transaction per file, ack after commit. */
@NullMarked
package dev.stowage.worker.processing;

import org.jspecify.annotations.NullMarked;
