package io.logalert.sink.webhook;

import io.logalert.sink.robot.Limits;
import io.logalert.sink.robot.Markups;
import io.logalert.sink.robot.MessageRenderer;
import io.logalert.sink.robot.RobotSettings;
import io.logalert.sink.robot.RobotSink;
import io.logalert.sink.robot.WebhookUrl;
import io.logalert.spi.ConfigException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Delivers digests to any HTTP receiver — an incident tool, a chat that takes JSON (Mattermost, Discord, Rocket.Chat),
 * a function of your own — as a JSON body made from a template over the digest's fields, with the headers you set,
 * an optional HMAC signature header, and your receiver's idea of success (an HTTP status set, and optionally a field
 * of its JSON answer that must hold a value).
 *
 * <p>Everything else is the robot core's ({@link RobotSink}), as for the chat robots: a rate budget per receiver
 * (default 20 messages a minute, across every sink of the JVM that posts to the same URL), bodies kept under a byte
 * limit (default 20,000) by splitting a big digest into numbered parts, digests packed when the budget is short,
 * retries with backoff on HTTP 5xx, 408 and dropped connections, the receiver left alone for {@code blockPeriod}
 * after HTTP 429, a split at half the size after HTTP 413, and a wrong setting (401, 403, 404, a redirect) reported
 * with the keys to check. The URL (but its host), header values and the signing secret never show in a name, a
 * reason, a log line or {@code toString()}.
 *
 * <pre>{@code
 * AlertSink sink = WebhookSink.builder()
 *         .webhook("https://chat.example.com/hooks/x1y2z3")
 *         .template("{\"text\": \"{{text.markdown}}\", \"username\": \"logalert\"}")
 *         .header("Authorization", "Bearer " + token)
 *         .signatureSecret(signingSecret)
 *         .successStatus("200-299").successField("code").successValue("0")
 *         .build();
 * }</pre>
 *
 * <p>An {@link io.logalert.spi.SinkObserver observer} is told the HTTP status of every answer and every wait before a
 * retry after HTTP 429.
 *
 * <p>Thread-safe: calls of {@link #deliver(List)} on one sink run one at a time.
 */
public final class WebhookSink extends RobotSink {

    /** The type this sink is configured by. */
    public static final String TYPE = "webhook";
    /** Messages a minute to one receiver by default: the lowest of the chat robots', as nothing is known of yours. */
    public static final int DEFAULT_MESSAGES_PER_MINUTE = 20;
    /** The most messages a minute that may be set. */
    public static final int MAX_MESSAGES_PER_MINUTE = 600;
    /** Bodies are kept below this many bytes by default: the lowest of the chat robots' limits that fits a digest. */
    public static final int DEFAULT_MAX_BODY_BYTES = 20_000;
    /** The largest body limit that may be set. */
    public static final int MAX_BODY_BYTES = 1_048_576;
    /** The signature header by default. */
    public static final String DEFAULT_SIGNATURE_HEADER = "X-Logalert-Signature";

    // a receiver that answered 429 is left alone for a minute unless told otherwise
    private static final Limits LIMITS = new Limits(1_000, MAX_BODY_BYTES, MAX_MESSAGES_PER_MINUTE,
            Duration.ofMinutes(1));
    /** A header name: an RFC 9110 token. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final WebhookPlatform platform;

    private WebhookSink(WebhookPlatform platform, Builder settings) {
        super(platform, settings);
        this.platform = platform;
    }

    /** Starts configuring a sink. */
    public static Builder builder() {
        return new Builder();
    }

    /** The receiver's redacted URL and its fingerprint; never a secret. */
    @Override
    public String toString() {
        return "WebhookSink[" + platform.redacted() + ", receiver " + platform.fingerprint() + "]";
    }

    /**
     * Configures a {@link WebhookSink}. {@link #webhook(String)} is required; every other setting has a default. The
     * settings every robot sink has (title, link, locale, zone, limits, timeouts, retries, clock) come from
     * {@link RobotSettings}, with the receiver's bounds: {@code maxBodyBytes} 1,000 to 1,048,576 (default 20,000),
     * {@code messagesPerMinute} 1 to 600 (default 20), {@code blockPeriod} after HTTP 429 (default 1 minute).
     * {@link #build()} checks everything at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends RobotSettings<Builder> {

        private String webhook;
        private String template = BodyTemplate.DEFAULT;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String signatureSecret;
        private String signatureHeader;
        private SignatureAlgorithm signatureAlgorithm = SignatureAlgorithm.HMAC_SHA256;
        private SignatureEncoding signatureEncoding = SignatureEncoding.HEX;
        private String signaturePrefix;
        private String timestampHeader;
        private String successStatus = SuccessCriterion.DEFAULT_STATUS;
        private String successField;
        private String successValue;

        private Builder() {
            super(LIMITS);
            // the limits are what may be set; nothing being known of the receiver, the defaults are the cautious ones
            maxBodyBytes(DEFAULT_MAX_BODY_BYTES);
            messagesPerMinute(DEFAULT_MESSAGES_PER_MINUTE);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The receiver's URL, http or https; it may hold a token in its path or query. A secret but for its host. */
        public Builder webhook(String webhook) {
            this.webhook = Objects.requireNonNull(webhook, "webhook");
            return this;
        }

        /**
         * The body, a JSON document whose string values may hold placeholders such as {@code {{digest.project}}};
         * see the module README for the list. It must hold {@code {{text.plain}}} or {@code {{text.markdown}}}
         * exactly once. Default: {@code title}, {@code text} (plain), {@code project}, {@code events}, {@code kinds},
         * {@code window}, {@code mentions} and {@code digests}.
         */
        public Builder template(String template) {
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        /** A header sent with every request, replacing any of the same name. Its value is a secret. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            headers.put(name, value);
            return this;
        }

        /** Headers sent with every request (see {@link #header(String, String)}). */
        public Builder headers(Map<String, String> headers) {
            headers.forEach(this::header);
            return this;
        }

        /** Signs every request with this secret (see {@link #signatureHeader(String)}). Default: unsigned. */
        public Builder signatureSecret(String secret) {
            this.signatureSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** The header the signature goes in. Default: {@value #DEFAULT_SIGNATURE_HEADER}. */
        public Builder signatureHeader(String header) {
            this.signatureHeader = Objects.requireNonNull(header, "header");
            return this;
        }

        /** The signature's HMAC. Default: HmacSHA256. */
        public Builder signatureAlgorithm(SignatureAlgorithm algorithm) {
            this.signatureAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /** How the signature is written. Default: lower-case hex. */
        public Builder signatureEncoding(SignatureEncoding encoding) {
            this.signatureEncoding = Objects.requireNonNull(encoding, "encoding");
            return this;
        }

        /**
         * What the signature header's value starts with; "" for nothing. Default: the algorithm's name and "=",
         * {@code sha256=}, as GitHub writes {@code X-Hub-Signature-256}.
         */
        public Builder signaturePrefix(String prefix) {
            this.signaturePrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Sends the request's time, in epoch seconds, in this header, and signs {@code <seconds>.<body>} instead of
         * the body alone, so that the receiver can refuse a replayed request. Default: no timestamp.
         */
        public Builder timestampHeader(String header) {
            this.timestampHeader = Objects.requireNonNull(header, "header");
            return this;
        }

        /** The HTTP statuses that mean success: one or a range each, comma-separated. Default: {@code 200-299}. */
        public Builder successStatus(String statuses) {
            this.successStatus = Objects.requireNonNull(statuses, "statuses");
            return this;
        }

        /**
         * A field of the JSON answer, as a dotted path ({@code code}, {@code result.ok}), that must hold
         * {@link #successValue(String)} as well. Default: none, the status decides.
         */
        public Builder successField(String field) {
            this.successField = Objects.requireNonNull(field, "field");
            return this;
        }

        /** The value {@link #successField(String)} holds on success ({@code 0}, {@code true}, {@code ok}). */
        public Builder successValue(String value) {
            this.successValue = Objects.requireNonNull(value, "value");
            return this;
        }

        /** Characters of a sample message shown per group, and of a pattern or sample in the digest's fields. */
        @Override
        public Builder maxMessageLength(int maxMessageLength) {
            return super.maxMessageLength(maxMessageLength);
        }

        /**
         * Builds the sink.
         *
         * @throws ConfigException listing every problem of the settings, never showing a secret
         */
        public WebhookSink build() {
            requireNoProblems(TYPE);
            List<String> none = new ArrayList<>();
            BodyTemplate body = BodyTemplate.parse(template, maxMessageLength(), none);
            SuccessCriterion success = SuccessCriterion.of(successStatus, Optional.ofNullable(successField),
                    Optional.ofNullable(successValue), none);
            MessageRenderer renderer = new MessageRenderer(rendererSettings(
                    body.markdown() ? Markups.commonMark() : Markups.plain(), List.of(), true), body::render);
            WebhookPlatform platform = new WebhookPlatform(WebhookUrl.parse(webhook, "https://hooks.example.com/…"),
                    headers, signer(), success, renderer);
            return new WebhookSink(platform, this);
        }

        private Optional<Signer> signer() {
            if (signatureSecret == null) {
                return Optional.empty();
            }
            return Optional.of(new Signer(signatureSecret, signatureHeader != null ? signatureHeader
                    : DEFAULT_SIGNATURE_HEADER, signatureAlgorithm, signatureEncoding, signaturePrefix != null
                    ? signaturePrefix : signatureEncoding == SignatureEncoding.HEX
                            ? signatureAlgorithm.defaultPrefix() : "", Optional.ofNullable(timestampHeader)));
        }

        @Override
        protected void platformProblems(List<String> problems) {
            if (webhook == null || webhook.isBlank()) {
                problems.add("'webhook' is required: the http(s) URL the receiver takes requests at");
            } else {
                try {
                    WebhookUrl.parse(webhook, "https://hooks.example.com/…");
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            BodyTemplate.parse(template, maxMessageLength(), problems);
            SuccessCriterion.of(successStatus, Optional.ofNullable(successField), Optional.ofNullable(successValue),
                    problems);
            headers.forEach((name, value) -> headerProblems("headers." + name, name, value, problems));
            if (signatureSecret == null) {
                for (Map.Entry<String, Object> set : signatureSettings().entrySet()) {
                    if (set.getValue() != null) {
                        problems.add("'" + set.getKey() + "' needs 'signature.secret': requests are signed only "
                                + "with a secret");
                    }
                }
            } else {
                if (signatureSecret.isBlank()) {
                    problems.add("'signature.secret' is blank");
                }
                Signer signer = signer().orElseThrow();
                checkHeaderName("signature.header", signer.header(), problems);
                signer.timestampHeader().ifPresent(header -> checkHeaderName("signature.timestamp-header", header,
                        problems));
                if (signer.timestampHeader().filter(signer.header()::equalsIgnoreCase).isPresent()) {
                    problems.add("'signature.timestamp-header' must differ from 'signature.header'");
                }
                if (signer.prefix().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    problems.add("'signature.prefix' holds a control character");
                }
                Set<String> own = Set.of(signer.header().toLowerCase(Locale.ROOT),
                        signer.timestampHeader().orElse("").toLowerCase(Locale.ROOT));
                headers.keySet().stream().filter(name -> own.contains(name.toLowerCase(Locale.ROOT)))
                        .forEach(name -> problems.add("'headers." + name + "' is the signature's own header; "
                                + "choose another 'signature.header' or 'signature.timestamp-header'"));
            }
        }

        private Map<String, Object> signatureSettings() {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("signature.header", signatureHeader);
            settings.put("signature.prefix", signaturePrefix);
            settings.put("signature.timestamp-header", timestampHeader);
            settings.put("signature.algorithm", signatureAlgorithm == SignatureAlgorithm.HMAC_SHA256 ? null
                    : signatureAlgorithm);
            settings.put("signature.encoding", signatureEncoding == SignatureEncoding.HEX ? null : signatureEncoding);
            return settings;
        }

        private static void headerProblems(String key, String name, String value, List<String> problems) {
            if (!checkHeaderName(key, name, problems)) {
                return;
            }
            if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                problems.add("'" + key + "' must have a value on one line, without control characters (value not "
                        + "shown)");
                return;
            }
            try {
                HttpRequest.newBuilder().setHeader(name, value);
            } catch (IllegalArgumentException e) {
                // its message may quote the value: not passed on
                problems.add("'" + key + "' cannot be sent: Java's HTTP client sets " + name + " itself (Host, "
                        + "Content-Length, Connection, Expect, Upgrade and a few others are its own)");
            }
        }

        private static boolean checkHeaderName(String key, String name, List<String> problems) {
            if (!TOKEN.matcher(name).matches()) {
                problems.add("'" + key + "' is not a header name: letters, digits and !#$%&'*+.^_`|~- only, such as "
                        + "X-Logalert-Signature");
                return false;
            }
            return true;
        }

        @Override
        public String toString() {
            return "WebhookSink.Builder[webhook=" + (webhook == null ? "none" : "***") + ", headers=" + headers.keySet()
                    + ", signature=" + (signatureSecret == null ? "none" : "***") + "]";
        }
    }
}
