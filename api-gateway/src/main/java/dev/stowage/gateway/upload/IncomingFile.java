// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import org.springframework.core.io.InputStreamSource;

/**
 * One uploaded file as received: never parsed on the upload path. Its bytes are read once, from {@code content},
 * while they are written to the database (a large multipart file is on Tomcat's disk buffer until then; a single
 * JSON body comes straight from the request).
 *
 * @param size in bytes, or {@link #UNKNOWN_SIZE} until read (a body sent without a length)
 */
record IncomingFile(String name, String contentType, long size, InputStreamSource content) {

    static final long UNKNOWN_SIZE = -1;
}
