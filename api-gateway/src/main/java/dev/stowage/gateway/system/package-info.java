// SPDX-License-Identifier: Apache-2.0
/**
 * Cross-cutting web concerns: the problem types and every error answer as an RFC 9457 problem, the checks of
 * request parameters, the OpenAPI document's head and problem responses, server limits.
 */
@NullMarked
package dev.stowage.gateway.system;

import org.jspecify.annotations.NullMarked;
