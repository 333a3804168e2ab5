// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.webhooks;

import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.ProblemType;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which callback URLs Stowage calls. A URL is refused unless it is absolute https (or http where the operator
 * allows it), without user info; and, after resolving its host, unless every address it resolves to is a public
 * one: loopback, link-local (cloud metadata services), private, carrier-grade NAT, unique-local, multicast and
 * unspecified addresses are refused, unless the host is one of {@code STOWAGE_WEBHOOK_ALLOWED_HOSTS}. Checked at
 * upload and again before every try, since what a name resolves to can change; redirects are never followed.
 */
@Component
public class CallbackUrls {

    static final int MAX_LENGTH = 2048;

    private final WebhookSettings settings;

    CallbackUrls(WebhookSettings settings) {
        this.settings = settings;
    }

    /** The URL an upload named, checked: throws invalid-callback-url saying why not. */
    public URI require(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw refused(url, "it is not a URL (" + e.getReason() + ")");
        }
        Optional<String> refusal = refusal(uri);
        if (refusal.isPresent()) {
            throw refused(url, refusal.get());
        }
        return uri;
    }

    /** Why Stowage would not call this URL now, or empty if it would. */
    Optional<String> refusal(URI uri) {
        if (uri.toString().length() > MAX_LENGTH) {
            return Optional.of("it is longer than " + MAX_LENGTH + " characters");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && settings.allowHttp())) {
            return Optional.of(
                    settings.allowHttp()
                            ? "only http and https URLs are called"
                            : "only https URLs are called (STOWAGE_WEBHOOK_ALLOW_HTTP=true allows http)");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("it holds a user name or password");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("it names no host");
        }
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (settings.allowedHosts().contains(bareHost.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bareHost);
        } catch (UnknownHostException e) {
            return Optional.of("its host '" + bareHost + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (internal(address)) {
                return Optional.of("its host '" + bareHost + "' resolves to " + address.getHostAddress()
                        + ", an address inside the network (STOWAGE_WEBHOOK_ALLOWED_HOSTS lists hosts that may be"
                        + " called anyway)");
            }
        }
        return Optional.empty();
    }

    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 // "this network"
                    || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT, 100.64.0.0/10
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking, 198.18.0.0/15
                    || first >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // unique local, fc00::/7
        }
        return false;
    }

    private static ApiProblem refused(String url, String why) {
        return new ApiProblem(
                ProblemType.INVALID_CALLBACK_URL,
                "Parameter 'callbackUrl' is " + ApiProblem.shown(url) + ": Stowage does not call it, because " + why
                        + ".");
    }
}
