// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.upload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * The SHA-256 of an upload as an {@code Idempotency-Key} compares it: its parameters, then each file's name, content
 * type, size and the SHA-256 of its bytes, in order. Every field is length-prefixed and every file's bytes hashed
 * on their own, so two different requests cannot encode alike. The bytes are fed while they stream to the
 * database ({@link JobIntake}); nothing is read twice.
 */
final class RequestHash {

    private final MessageDigest request = sha256();
    private byte @Nullable [] digest;

    RequestHash(@Nullable String dataset, @Nullable String callbackUrl, int files) {
        text("stowage-upload-1");
        request.update((byte) (dataset == null ? 0 : 1));
        text(dataset == null ? "" : dataset);
        request.update((byte) (callbackUrl == null ? 0 : 1));
        text(callbackUrl == null ? "" : callbackUrl);
        number(files);
    }

    /** One file, in upload order. */
    void file(String name, String contentType, long size, MessageDigest content) {
        text(name);
        text(contentType);
        number(size);
        request.update(content.digest());
    }

    /** The hash, once every file was fed; the same on every call. */
    byte[] digest() {
        if (digest == null) {
            digest = request.digest();
        }
        return digest.clone();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private void text(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        number(bytes.length);
        request.update(bytes);
    }

    private void number(long value) {
        request.update(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
    }
}
