// SPDX-License-Identifier: Apache-2.0
/**
 * The web console's server side: its static pages (under {@code resources/static}) served with a strict
 * Content-Security-Policy, and {@code GET /api/v1/me}, which tells the console whose key it holds.
 */
@NullMarked
package dev.stowage.gateway.console;

import org.jspecify.annotations.NullMarked;
