package io.logalert.sink.robot;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a robot's webhook URL as a user pastes it, checking what every platform needs: http(s), a host, and no user
 * name or password before the host. A webhook URL holds the robot's token, so no message here echoes it.
 */
public final class WebhookUrl {

    private WebhookUrl() {
    }

    /**
     * {@code raw}, stripped, as a URI.
     *
     * @param example a webhook URL of the platform with its secret part elided, for the message of a wrong one
     * @throws IllegalArgumentException naming what is wrong with the {@code 'webhook'} key, never echoing the URL
     */
    public static URI parse(String raw, String example) {
        URI uri;
        try {
            uri = new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'webhook' is not a valid URL (value not shown: it holds the token)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("'webhook' must be an http(s) URL such as " + example);
        }
        if (uri.getRawUserInfo() != null) {
            // a user name and password would reach sink names, logs and reasons, which show the host
            throw new IllegalArgumentException("'webhook' must not hold a user name or password before the host "
                    + "(value not shown)");
        }
        return uri;
    }

    /** The decoded value of query parameter {@code name} in {@code uri}, when it is there and not blank. */
    public static Optional<String> query(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        String value = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
