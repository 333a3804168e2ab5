// SPDX-License-Identifier: Apache-2.0
/** Reading files: status, attempt history, analysis report and the original bytes. */
@NullMarked
package dev.stowage.gateway.files;

import org.jspecify.annotations.NullMarked;
