package dev.stowage.gateway.upload;

import org.springframework.core.io.InputStreamSource;

/**
 * One uploaded file as received: never parsed on the upload path. Its bytes are read once, from {@code content},
 * while they are written to the database (a large multipart file is on Tomcat's disk buffer until then).
 */
record IncomingFile(String name, String contentType, long size, InputStreamSource content) {}
