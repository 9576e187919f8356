package io.logalert.sink.dingtalk;

import io.logalert.sink.robot.Redactor;
import io.logalert.sink.robot.WebhookUrl;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where one DingTalk robot is reached and how its requests are signed. Holds the access token and the signing
 * secret, so it has no {@code toString()} that shows them: {@link #redacted()} and {@link #scrub(String)} are what
 * may be shown.
 */
final class RobotEndpoint {

    static final String SEND_PATH = "/robot/send";

    private final String sendUrl;
    private final String accessToken;
    private final Optional<String> secret;
    private final String robotKey;
    private final Redactor redactor;

    private RobotEndpoint(String sendUrl, String accessToken, Optional<String> secret) {
        this.sendUrl = sendUrl;
        this.accessToken = accessToken;
        this.secret = secret;
        // DingTalk tells robots apart by their access token alone: the URL can be spelt many ways (host case, an
        // explicit :443, a gateway or proxy in front) and still reach the same robot, so it must not be part of it
        this.robotKey = Redactor.sha256(accessToken);
        List<String> secrets = new ArrayList<>(List.of(accessToken));
        secret.ifPresent(secrets::add);
        this.redactor = Redactor.of(secrets);
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
        URI uri = WebhookUrl.parse(webhook, "https://oapi.dingtalk.com/robot/send?access_token=…");
        String token = WebhookUrl.query(uri, "access_token").orElseThrow(() -> new IllegalArgumentException(
                "'webhook' has no access_token parameter; copy the whole webhook URL from the robot's settings"));
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? SEND_PATH : uri.getRawPath();
        return new RobotEndpoint(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + path,
                token, secret);
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
     * Identifies the robot in the rate budgets and its block: the SHA-256 of the access token, whatever URL reaches
     * it, because DingTalk counts the 20 messages a minute per token.
     */
    String budgetKey() {
        return robotKey;
    }

    /** Masks the token and the secret, in every form, and any signature. */
    Redactor redactor() {
        return redactor;
    }

    /** {@code text} with every form of the token and the secret in it masked. */
    String scrub(String text) {
        return redactor.scrub(text);
    }

    @Override
    public String toString() {
        return "RobotEndpoint[" + redacted() + "]";
    }
}
