// SPDX-License-Identifier: Apache-2.0
/**
 * Webhooks: a job's final state POSTed to the URL its upload named, signed with the tenant's secret, retried through
 * RabbitMQ delay queues and dead-lettered when the receiver never accepts it; refused for addresses inside the
 * network unless the operator allows them.
 */
@NullMarked
package dev.stowage.gateway.webhooks;

import org.jspecify.annotations.NullMarked;
