package io.logalert.sink.dingtalk;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where one robot is reached and how its requests are signed. Holds the access token and the signing secret, so it
 * has no {@code toString()} that shows them: {@link #redacted()} and {@link #scrub(String)} are what may be shown.
 */
final class RobotEndpoint {

    static final String SEND_PATH = "/robot/send";

    private final String sendUrl;
    private final String accessToken;
    private final Optional<String> secret;
    private final String robotKey;

    private RobotEndpoint(String sendUrl, String accessToken, Optional<String> secret) {
        this.sendUrl = sendUrl;
        this.accessToken = accessToken;
        this.secret = secret;
        // DingTalk tells robots apart by their access token alone: the URL can be spelt many ways (host case, an
        // explicit :443, a gateway or proxy in front) and still reach the same robot, so it must not be part of it
        this.robotKey = sha256(accessToken);
    }

    /** The robot at {@code {baseUrl}/robot/send} with {@code accessToken}. */
    static RobotEndpoint of(URI baseUrl, String accessToken, Optional<String> secret) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return new RobotEndpoint(base + SEND_PATH, accessToken, secret);
    }

    /**
     * The robot of a webhook URL as DingTalk shows it ({@code https://oapi.dingtalk.com/robot/send?access_token=…}).
     * A {@code timestamp} or {@code sign} copied along with it is dropped: they are computed per request.
     *
     * @throws IllegalArgumentException naming what is wrong, never echoing the URL (it holds the token)
     */
    static RobotEndpoint ofWebhook(String webhook, Optional<String> secret) {
        URI uri;
        try {
            uri = new URI(webhook.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'webhook' is not a valid URL (value not shown: it holds the token)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("'webhook' must be an http(s) URL such as "
                    + "https://oapi.dingtalk.com/robot/send?access_token=…");
        }
        if (uri.getRawUserInfo() != null) {
            // a user name and password would reach sink names, logs and reasons, which show the host
            throw new IllegalArgumentException("'webhook' must not hold a user name or password before the host "
                    + "(value not shown)");
        }
        String token = null;
        for (String pair : rawQuery(uri)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (name.equals("access_token") && eq > 0) {
                token = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("'webhook' has no access_token parameter; copy the whole webhook URL "
                    + "from the robot's settings");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? SEND_PATH : uri.getRawPath();
        return new RobotEndpoint(scheme + "://" + uri.getRawAuthority() + path, token, secret);
    }

    private static List<String> rawQuery(URI uri) {
        String query = uri.getRawQuery();
        return query == null ? List.of() : List.of(query.split("&"));
    }

    /** The URI of one request: the token, and for a signed robot the timestamp and signature at {@code nowMillis}. */
    URI requestUri(long nowMillis) {
        StringBuilder uri = new StringBuilder(sendUrl).append("?access_token=")
                .append(URLEncoder.encode(accessToken, StandardCharsets.UTF_8));
        secret.ifPresent(s -> uri.append("&timestamp=").append(nowMillis)
                .append("&sign=").append(Signature.queryValue(nowMillis, s)));
        return URI.create(uri.toString());
    }

    /** The send URL with the token masked, e.g. {@code https://oapi.dingtalk.com/robot/send?access_token=***}. */
    String redacted() {
        return sendUrl + "?access_token=***" + (secret.isPresent() ? "&timestamp=…&sign=***" : "");
    }

    /** The host (and port) requests go to. */
    String host() {
        return URI.create(sendUrl).getRawAuthority();
    }

    /**
     * A short, irreversible fingerprint of the robot (8 hex digits of the SHA-256 of its token), to tell robots apart
     * in logs; the same for every spelling of the URL.
     */
    String fingerprint() {
        return robotKey.substring(0, 8);
    }

    /**
     * Identifies the robot in the JVM-wide rate budget and its block: the SHA-256 of the access token, whatever URL
     * reaches it, because DingTalk counts the 20 messages a minute per token.
     */
    String budgetKey() {
        return robotKey;
    }

    /** {@code text} with every form of the token and the secret in it masked. */
    String scrub(String text) {
        if (text == null) {
            return "";
        }
        List<String> hidden = new ArrayList<>();
        hidden.add(accessToken);
        hidden.add(URLEncoder.encode(accessToken, StandardCharsets.UTF_8));
        secret.ifPresent(s -> {
            hidden.add(s);
            hidden.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
        });
        String result = text;
        for (String value : hidden) {
            if (!value.isEmpty()) {
                result = result.replace(value, "***");
            }
        }
        // a signature is derived from the secret: never worth showing
        return result.replaceAll("sign=[^&\\s]*", "sign=***");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "RobotEndpoint[" + redacted() + "]";
    }
}
