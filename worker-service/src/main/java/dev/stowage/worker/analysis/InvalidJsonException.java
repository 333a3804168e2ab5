package dev.stowage.worker.analysis;

/** The file is not valid JSON (or JSON Lines); the message says where. Permanent: retrying cannot help. */
public class InvalidJsonException extends RuntimeException {

    public InvalidJsonException(String message, Throwable cause) {
        super(message, cause);
    }

    public InvalidJsonException(String message) {
        super(message);
    }
}
