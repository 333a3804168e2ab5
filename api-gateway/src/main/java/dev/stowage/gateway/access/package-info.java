// SPDX-License-Identifier: Apache-2.0
/**
 * Who is calling: API keys ({@code Authorization: Bearer <key>}), their tenant and role. Every {@code /api/**}
 * request needs a key, and nothing else does; {@code /api/v1/admin/**} needs the ADMIN role. Controllers take the
 * {@link Caller} as a parameter and pass its tenant to every query, so one tenant never reads another's data.
 */
@NullMarked
package dev.stowage.gateway.access;

import org.jspecify.annotations.NullMarked;
