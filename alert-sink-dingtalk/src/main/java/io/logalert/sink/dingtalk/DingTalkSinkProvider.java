package io.logalert.sink.dingtalk;

import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Creates {@link DingTalkSink}s from configuration; type {@value DingTalkSink#TYPE}. Keys (lower-kebab-case):
 * {@code webhook} or {@code access-token} (+ {@code base-url}), {@code secret}, {@code keywords},
 * {@code message-type}, {@code title}, {@code action-url}, {@code action-title}, {@code at-mobiles},
 * {@code at-user-ids}, {@code at-all}, {@code locale} ({@code en} or {@code zh-CN}; default {@code en}),
 * {@code time-zone} (default: this machine's zone), {@code max-message-length}, {@code max-body-bytes},
 * {@code messages-per-minute}, {@code connect-timeout}, {@code request-timeout}, {@code proxy},
 * {@code max-attempts}, {@code retry-backoff}. The module README gives their defaults and meaning.
 */
public final class DingTalkSinkProvider implements AlertSinkProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public DingTalkSinkProvider() {
    }

    @Override
    public String type() {
        return DingTalkSink.TYPE;
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
    static DingTalkSink.Builder builder(PluginConfig config) {
        ConfigValidator v = config.validator(DingTalkSink.TYPE);
        DingTalkSink.Builder b = DingTalkSink.builder();
        v.secret("webhook").map(String::strip).ifPresent(b::webhook);
        v.secret("access-token").map(String::strip).ifPresent(b::accessToken);
        v.string("base-url").ifPresent(raw -> {
            try {
                b.baseUrl(new URI(raw));
            } catch (URISyntaxException e) {
                // not echoed: a URL that does not parse may still hold a user name and password
                v.problem("'base-url' must be a URL such as " + DingTalkSink.DEFAULT_BASE_URL + " (value not shown)");
            }
        });
        v.secret("secret").map(String::strip).ifPresent(b::secret);
        b.keywords(v.list("keywords"));
        v.string("message-type").ifPresent(raw -> MessageType.fromName(raw).ifPresentOrElse(b::messageType,
                () -> v.problem("'message-type' must be one of markdown, text, actionCard, was '" + raw + "'")));
        b.atMobiles(v.list("at-mobiles"));
        b.atUserIds(v.list("at-user-ids"));
        b.atAll(v.bool("at-all", false));
        // the keys every robot sink has: title, name, action-url, locale, time-zone, limits, timeouts, proxy, retries
        b.read(v);
        b.problems().forEach(v::problem);
        v.validate();
        return b;
    }
}
