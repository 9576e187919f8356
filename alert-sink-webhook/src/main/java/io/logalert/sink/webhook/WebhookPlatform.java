package io.logalert.sink.webhook;

import io.logalert.sink.robot.MessageRenderer;
import io.logalert.sink.robot.OutgoingMessage;
import io.logalert.sink.robot.Redactor;
import io.logalert.sink.robot.RobotPlatform;
import io.logalert.sink.robot.Verdict;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A generic webhook's rules: the URL as configured, the configured headers and signature on each request, the body
 * the template makes, and the success criterion. Every part of the URL but its host may be a secret (Slack and
 * Discord put the token in the path, others in the query), and so is every header value: all are masked wherever
 * they could show.
 */
final class WebhookPlatform implements RobotPlatform {

    /** Query values and header words shorter than this are not masked on their own: "1" or "json" is no secret. */
    private static final int MIN_SECRET_PART = 6;
    /** Path segments at least this long are masked on their own: tokens and ids, not words such as "hooks". */
    private static final int MIN_SECRET_SEGMENT = 16;

    private final URI uri;
    private final Map<String, String> headers;
    private final Optional<Signer> signer;
    private final SuccessCriterion success;
    private final MessageRenderer renderer;
    private final String robotKey;
    private final String host;
    private final String redacted;
    private final Redactor redactor;

    WebhookPlatform(URI uri, Map<String, String> headers, Optional<Signer> signer, SuccessCriterion success,
            MessageRenderer renderer) {
        this.uri = uri;
        this.headers = Map.copyOf(headers);
        this.signer = signer;
        this.success = success;
        this.renderer = renderer;
        this.host = uri.getRawAuthority();
        String origin = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + host.toLowerCase(Locale.ROOT);
        // the whole address is the receiver: two sinks to one URL share its budget, another path is another receiver
        this.robotKey = Redactor.sha256(origin + uri.getRawPath() + (uri.getRawQuery() == null ? ""
                : "?" + uri.getRawQuery()));
        this.redacted = origin + "/***";
        this.redactor = Redactor.of(secrets(uri, headers, signer));
    }

    /** Every form in which a secret of this webhook could show up in an answer or an exception. */
    private static List<String> secrets(URI uri, Map<String, String> headers, Optional<Signer> signer) {
        List<String> secrets = new ArrayList<>();
        secrets.add(uri.toString());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() > 1) {
            secrets.add(path);
            secrets.add(decode(path));
            for (String segment : path.split("/")) {
                if (segment.length() >= MIN_SECRET_SEGMENT) {
                    secrets.add(segment);
                    secrets.add(decode(segment));
                }
            }
        }
        if (uri.getRawQuery() != null) {
            secrets.add(uri.getRawQuery());
            secrets.add(decode(uri.getRawQuery()));
            for (String pair : uri.getRawQuery().split("&")) {
                String value = pair.substring(pair.indexOf('=') + 1);
                if (value.length() >= MIN_SECRET_PART) {
                    secrets.add(value);
                    secrets.add(decode(value));
                }
            }
        }
        for (String value : headers.values()) {
            secrets.add(value);
            // "Bearer abc…": a receiver may echo the token alone
            for (String word : value.strip().split("\\s+")) {
                if (word.length() >= MIN_SECRET_PART) {
                    secrets.add(word);
                }
            }
        }
        signer.ifPresent(s -> secrets.add(s.secret()));
        return secrets;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    @Override
    public String type() {
        return WebhookSink.TYPE;
    }

    @Override
    public String displayName() {
        return "Webhook";
    }

    @Override
    public String robotKey() {
        return robotKey;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String redacted() {
        return redacted;
    }

    @Override
    public Redactor redactor() {
        return redactor;
    }

    @Override
    public MessageRenderer renderer() {
        return renderer;
    }

    @Override
    public HttpRequest.Builder request(OutgoingMessage message, Instant now) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "logalert-webhook")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        // the configured headers come after the two above, so that they may replace them
        headers.forEach(request::setHeader);
        signer.ifPresent(s -> s.headers(message.body(), now).forEach(request::setHeader));
        return request;
    }

    @Override
    public Verdict interpret(int status, String body) {
        return success.interpret(status, body, host, redacted, redactor);
    }

    @Override
    public String throttleCodes() {
        return "HTTP 429";
    }

    @Override
    public String toString() {
        return "WebhookPlatform[" + redacted + "]";
    }
}
