package io.logalert.sink.feishu;

import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;

/**
 * Creates {@link FeishuSink}s from configuration; type {@value FeishuSink#TYPE}. Keys (lower-kebab-case):
 * {@code webhook} or {@code token} (+ {@code domain}: {@code feishu}, {@code lark} or a base URL), {@code secret},
 * {@code keywords}, {@code mention-user-ids}, {@code mention-all}, and the keys every robot sink has
 * ({@link io.logalert.sink.robot.RobotSettings#read}). The README gives their defaults and meaning.
 */
public final class FeishuSinkProvider implements AlertSinkProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public FeishuSinkProvider() {
    }

    @Override
    public String type() {
        return FeishuSink.TYPE;
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
    static FeishuSink.Builder builder(PluginConfig config) {
        ConfigValidator v = config.validator(FeishuSink.TYPE);
        FeishuSink.Builder b = FeishuSink.builder();
        v.secret("webhook").ifPresent(b::webhook);
        v.secret("token").ifPresent(b::token);
        v.string("domain").ifPresent(b::domain);
        v.secret("secret").ifPresent(b::secret);
        b.keywords(v.list("keywords"));
        b.mentionUserIds(v.list("mention-user-ids"));
        b.mentionAll(v.bool("mention-all", false));
        b.read(v);
        b.problems().forEach(v::problem);
        v.validate();
        return b;
    }
}
