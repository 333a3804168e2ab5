// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void theSignatureIsTheHmacOfTheTimeADotAndTheBody() {
        // The same value Python's hmac.new(b"whsec_test", b'1796407331.{"jobId":"x"}', hashlib.sha256) gives.
        assertThat(WebhookSignature.header(
                        "whsec_test", 1796407331L, "{\"jobId\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("t=1796407331,v1=91419666dad6a04dfbb73f1c365160e43153d1738e8a6bf9dd8352053ee152a2");
    }

    @Test
    void addressesInsideTheNetworkAreInternalAndPublicOnesAreNot() throws Exception {
        for (String internal : new String[] {
            "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
            "198.18.0.1", "255.255.255.255", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::"
        }) {
            assertThat(CallbackUrls.internal(InetAddress.getByName(internal)))
                    .as(internal)
                    .isTrue();
        }
        for (String external : new String[] {"8.8.8.8", "1.1.1.1", "100.128.0.1", "2001:4860:4860::8888"}) {
            assertThat(CallbackUrls.internal(InetAddress.getByName(external)))
                    .as(external)
                    .isFalse();
        }
    }
}
