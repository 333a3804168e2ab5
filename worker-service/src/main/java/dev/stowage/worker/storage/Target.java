// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.storage;

import java.util.UUID;

/** What is being stored, for whom: the file, its tenant, and the dataset (table) it goes into. */
public record Target(UUID fileId, String tenant, String dataset) {}
