// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Stowage-Signature} header, as Stripe and GitHub sign theirs: {@code t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>">} with the tenant's secret. A receiver recomputes it over the raw body and the
 * {@code t} it was sent, compares in constant time, and refuses a {@code t} too far from its clock (replays).
 */
final class WebhookSignature {

    static final String HEADER = "Stowage-Signature";

    private WebhookSignature() {}

    static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + hmac(secret, unixSeconds, body);
    }

    static String hmac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
