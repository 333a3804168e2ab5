package dev.stowage.worker.analysis;

/**
 * The file breaks one of the parser's limits (nesting depth, string, number or name length); the message names
 * the limit and where. Permanent: retrying cannot help.
 */
public class JsonLimitException extends RuntimeException {

    public JsonLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
