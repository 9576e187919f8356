package io.logalert.sink.webhook;

import io.logalert.Labels;
import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;
import java.time.Duration;
import java.time.ZoneId;
import java.util.TreeSet;

/**
 * Creates {@link WebhookSink}s from configuration; type {@value WebhookSink#TYPE}. Keys (lower-kebab-case; nested
 * YAML keys are joined with dots): {@code webhook} (required, a secret), {@code template}, {@code headers.<Name>}
 * (values secret), {@code signature.secret}, {@code signature.header}, {@code signature.algorithm},
 * {@code signature.encoding}, {@code signature.prefix}, {@code signature.timestamp-header}, {@code success.status},
 * {@code success.field}, {@code success.value}, {@code block-period}, and the keys every robot sink has:
 * {@code title}, {@code name}, {@code action-url}, {@code action-title}, {@code locale}, {@code time-zone},
 * {@code max-message-length}, {@code max-body-bytes}, {@code messages-per-minute}, {@code connect-timeout},
 * {@code request-timeout}, {@code max-attempts}, {@code retry-backoff}. The README gives their defaults and meaning.
 * {@code headers.*} are found through {@link PluginConfig#keys()}: give the configuration with
 * {@link PluginConfig#of(java.util.Map)}, as the runner does.
 */
public final class WebhookSinkProvider implements AlertSinkProvider {

    private static final String HEADERS = "headers.";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public WebhookSinkProvider() {
    }

    @Override
    public String type() {
        return WebhookSink.TYPE;
    }

    /**
     * Creates a sink from {@code config}.
     *
     * @throws io.logalert.spi.ConfigException listing every problem, secrets never shown
     */
    @Override
    public AlertSink create(PluginConfig config) {
        return builder(config).build();
    }

    /** A builder set from {@code config}, for callers that add a clock or a sleeper; every problem reported. */
    static WebhookSink.Builder builder(PluginConfig config) {
        ConfigValidator v = config.validator(WebhookSink.TYPE);
        WebhookSink.Builder b = WebhookSink.builder();
        v.secret("webhook").map(String::strip).ifPresent(b::webhook);
        v.string("template").ifPresent(b::template);
        for (String key : new TreeSet<>(config.keys())) {
            if (key.startsWith(HEADERS)) {
                // a header value is often a credential: read as a secret, never echoed
                b.header(key.substring(HEADERS.length()), v.secret(key).map(String::strip).orElse(""));
            }
        }
        if (config.keys().contains("headers")) {
            // a value where a mapping belongs: say what shape is wanted, never the value (it may be a credential)
            v.known("headers").problem("'headers' must be a mapping of header names to values, such as headers: "
                    + "{Authorization: \"Bearer ${TOKEN}\"} (headers.Authorization as a flat key)");
        }
        v.secret("signature.secret").ifPresent(b::signatureSecret);
        v.string("signature.header").ifPresent(b::signatureHeader);
        b.signatureAlgorithm(v.oneOf("signature.algorithm", SignatureAlgorithm.HMAC_SHA256,
                SignatureAlgorithm.class));
        b.signatureEncoding(v.oneOf("signature.encoding", SignatureEncoding.HEX, SignatureEncoding.class));
        // read as written: "" is a choice (no prefix), which string() would take for unset
        v.known("signature.prefix");
        if (config.get("signature.prefix") != null) {
            b.signaturePrefix(config.get("signature.prefix").strip());
        }
        v.string("signature.timestamp-header").ifPresent(b::timestampHeader);
        v.string("success.status").ifPresent(b::successStatus);
        v.string("success.field").ifPresent(b::successField);
        v.string("success.value").ifPresent(b::successValue);
        b.blockPeriod(v.duration("block-period", Duration.ofMinutes(1)));
        // unset: the shared layout's title, in the sink's locale
        v.string("title").ifPresent(b::title);
        v.string("name").ifPresent(b::name);
        v.string("action-url").ifPresent(b::actionUrl);
        v.string("action-title").ifPresent(b::actionTitle);
        b.locale(Labels.read(v, "locale").locale());
        b.timeZone(v.zone("time-zone", ZoneId.systemDefault()));
        b.maxMessageLength(v.integer("max-message-length", 400, 16, 10_000));
        b.maxBodyBytes(v.integer("max-body-bytes", WebhookSink.DEFAULT_MAX_BODY_BYTES, 1_000,
                WebhookSink.MAX_BODY_BYTES));
        b.messagesPerMinute(v.integer("messages-per-minute", WebhookSink.DEFAULT_MESSAGES_PER_MINUTE, 1,
                WebhookSink.MAX_MESSAGES_PER_MINUTE));
        b.connectTimeout(v.duration("connect-timeout", Duration.ofSeconds(5)));
        b.requestTimeout(v.duration("request-timeout", Duration.ofSeconds(10)));
        b.maxAttempts(v.integer("max-attempts", 3, 1, 10));
        b.retryBackoff(v.duration("retry-backoff", Duration.ofSeconds(1)));
        b.problems().forEach(v::problem);
        v.validate();
        return b;
    }
}
