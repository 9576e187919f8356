package io.logalert.sink.wecom;

import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;

/**
 * Creates {@link WeComSink}s from configuration; type {@value WeComSink#TYPE}. Keys (lower-kebab-case):
 * {@code webhook} or {@code key}, {@code message-type} ({@code markdown} or {@code text}), {@code mention-user-ids},
 * {@code mention-mobiles}, {@code mention-all}, and the keys every robot sink has
 * ({@link io.logalert.sink.robot.RobotSettings#read}): {@code title}, {@code name}, {@code action-url},
 * {@code action-title}, {@code locale}, {@code time-zone}, {@code max-message-length}, {@code max-body-bytes},
 * {@code messages-per-minute}, {@code connect-timeout}, {@code request-timeout}, {@code proxy}, {@code max-attempts},
 * {@code retry-backoff}. The README gives their defaults and meaning.
 */
public final class WeComSinkProvider implements AlertSinkProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public WeComSinkProvider() {
    }

    @Override
    public String type() {
        return WeComSink.TYPE;
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
    static WeComSink.Builder builder(PluginConfig config) {
        ConfigValidator v = config.validator(WeComSink.TYPE);
        WeComSink.Builder b = WeComSink.builder();
        v.secret("webhook").ifPresent(b::webhook);
        v.secret("key").ifPresent(b::key);
        // the type first: it decides the default body limit
        v.string("message-type").ifPresent(raw -> MessageType.fromName(raw).ifPresentOrElse(b::messageType,
                () -> v.problem("'message-type' must be markdown or text, was '" + raw + "'")));
        b.mentionUserIds(v.list("mention-user-ids"));
        b.mentionMobiles(v.list("mention-mobiles"));
        b.mentionAll(v.bool("mention-all", false));
        b.read(v);
        b.problems().forEach(v::problem);
        v.validate();
        return b;
    }
}
