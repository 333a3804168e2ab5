package dev.stowage.gateway.upload;

/** One uploaded file as received: never parsed on the upload path. */
record IncomingFile(String name, String contentType, byte[] bytes) {}
