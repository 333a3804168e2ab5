// SPDX-License-Identifier: Apache-2.0
/** Test support shared by every module: the real services, per-run isolation, corpus files, HTTP helpers. */
package dev.stowage.testing;
