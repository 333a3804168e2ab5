// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.access;

/**
 * The tenant and role of the key a request came with.
 *
 * @param keyName the key's name (bootstrap keys: {@code bootstrap-<n>}), for logs; never the key itself
 */
public record Caller(String tenant, Role role, String keyName) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
