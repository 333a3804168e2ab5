// SPDX-License-Identifier: Apache-2.0
/** End-to-end tests: the real jars as separate processes, against the real RabbitMQ and PostgreSQL. */
package dev.stowage.system;
