/** Cross-cutting web concerns: error answers as RFC 9457 problem details, server limits. */
@NullMarked
package dev.stowage.gateway.system;

import org.jspecify.annotations.NullMarked;
