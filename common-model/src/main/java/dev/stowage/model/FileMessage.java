// SPDX-License-Identifier: Apache-2.0
package dev.stowage.model;

import java.util.UUID;

/**
 * The body of one work message: which file to process. Everything else (tenant, name, dataset, bytes) is read
 * from the database, so a message can never make a worker act on data it does not describe.
 */
public record FileMessage(UUID jobId, UUID fileId) {}
