// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.access;

/** USER uploads and reads its tenant's data; ADMIN may also review and replay dead letters and manage keys. */
public enum Role {
    USER,
    ADMIN
}
