package io.logalert.sink.wecom;

import io.logalert.sink.robot.Limits;
import io.logalert.sink.robot.RobotSettings;
import io.logalert.sink.robot.RobotSink;
import io.logalert.sink.robot.WebhookUrl;
import io.logalert.spi.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Delivers digests to a WeCom (企业微信) group robot, within the robot's rules: at most 20 messages in any minute
 * (counted across every sink of the JVM that targets the robot, which is known by its key however the URL is spelt),
 * {@code markdown} content under 4,096 bytes or {@code text} content under 2,048, and every reply's {@code errcode}
 * checked and acted on: 45009 (too fast) leaves the robot alone for a minute and the digests are retried later;
 * 40058 "exceed max length" splits the message smaller; 93000 (a wrong key) rejects the digests with advice.
 *
 * <p>What it does on each call, on every failure and under the budget is the robot core's ({@link RobotSink}): one
 * message per digest, numbered parts for a big one, digests packed when the budget is short. The webhook URL holds
 * the key, the robot's only credential: it never appears in a name, a reason, a log line or {@code toString()}.
 *
 * <pre>{@code
 * AlertSink sink = WeComSink.builder()
 *         .webhook("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...")
 *         .mentionUserIds(List.of("zhangsan"))
 *         .timeZone(ZoneId.of("Asia/Shanghai"))
 *         .locale(Locale.SIMPLIFIED_CHINESE)
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe: calls of {@link #deliver(List)} on one sink run one at a time.
 */
public final class WeComSink extends RobotSink {

    /** The type this sink is configured by. */
    public static final String TYPE = "wecom";
    /** WeCom's own endpoint, where a {@link Builder#key(String) key} alone is sent. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://qyapi.weixin.qq.com");
    /** The path of the webhook. */
    public static final String SEND_PATH = "/cgi-bin/webhook/send";
    /** WeCom's limit on messages per robot per minute. */
    public static final int MAX_MESSAGES_PER_MINUTE = 20;

    /** A user id that can stand in {@code <@…>}: WeCom's ids are letters, digits and {@code _ . @ -}. */
    static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

    // the body is measured whole, which keeps the content below the limit (the safe side); WeCom documents no
    // block after 45009, so a throttled robot is left alone for the minute it counts in
    private static final Limits LIMITS = new Limits(1_000, MessageType.MARKDOWN.maxBytes(), MAX_MESSAGES_PER_MINUTE,
            Duration.ofMinutes(1));

    private WeComSink(WeComPlatform platform, Builder settings) {
        super(platform, settings);
    }

    /** Starts configuring a sink. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Configures a {@link WeComSink}. Set either {@link #webhook(String)} or {@link #key(String)}; every other setting
     * has a default. The settings every robot sink has (title, link, locale, zone, limits, timeouts, retries, clock)
     * come from {@link RobotSettings}. {@link #build()} checks everything at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends RobotSettings<Builder> {

        private String webhook;
        private String key;
        private MessageType messageType = MessageType.MARKDOWN;
        // as the user set it; unset, it follows the message type
        private Integer maxBodyBytes;
        private List<String> mentionUserIds = List.of();
        private List<String> mentionMobiles = List.of();
        private boolean mentionAll;

        private Builder() {
            super(LIMITS);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The robot's webhook URL, {@code https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…}. A secret. */
        public Builder webhook(String webhook) {
            this.webhook = Objects.requireNonNull(webhook, "webhook");
            return this;
        }

        /** The robot's key alone, sent to WeCom's own endpoint; instead of a webhook. A secret. */
        public Builder key(String key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /** The message type. Default: markdown. */
        public Builder messageType(MessageType messageType) {
            this.messageType = Objects.requireNonNull(messageType, "messageType");
            if (maxBodyBytes == null) {
                super.maxBodyBytes(messageType.maxBytes());
            }
            return this;
        }

        /**
         * Bodies are kept below this many UTF-8 bytes, 1,000 to the message type's limit (markdown 4,096, text
         * 2,048). Default: that limit.
         */
        @Override
        public Builder maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return super.maxBodyBytes(maxBodyBytes);
        }

        /** WeCom user ids to @mention in every digest's first message. Default: none. */
        public Builder mentionUserIds(List<String> userIds) {
            this.mentionUserIds = List.copyOf(userIds);
            return this;
        }

        /** Mobile numbers to @mention (text messages only). Default: none. */
        public Builder mentionMobiles(List<String> mobiles) {
            this.mentionMobiles = List.copyOf(mobiles);
            return this;
        }

        /** Whether to @mention everyone (text messages only). Default: false. */
        public Builder mentionAll(boolean mentionAll) {
            this.mentionAll = mentionAll;
            return this;
        }

        /**
         * Builds the sink.
         *
         * @throws ConfigException listing every problem of the settings
         */
        public WeComSink build() {
            requireNoProblems(TYPE);
            URI webhookUri = endpoint(new ArrayList<>());
            String sendUrl = webhookUri.getScheme().toLowerCase(Locale.ROOT) + "://" + webhookUri.getRawAuthority()
                    + (webhookUri.getRawPath() == null || webhookUri.getRawPath().isEmpty() ? SEND_PATH
                            : webhookUri.getRawPath());
            String robotKey = key != null ? key.strip() : WebhookUrl.query(webhookUri, "key").orElseThrow();
            WeComPlatform platform = new WeComPlatform(sendUrl, robotKey,
                    rendererSettings(messageType.markup(), List.of(), true), messageType,
                    new WeComPlatform.Mentions(mentionUserIds, mentionMobiles, mentionAll));
            return new WeComSink(platform, this);
        }

        @Override
        protected void platformProblems(List<String> problems) {
            endpoint(problems);
            if (maxBodyBytes != null && maxBodyBytes > messageType.maxBytes()) {
                problems.add("'max-body-bytes' must be from " + limits.minBodyBytes() + " to "
                        + messageType.maxBytes() + " for " + messageType.msgtype() + " messages, was " + maxBodyBytes);
            }
            if (messageType == MessageType.MARKDOWN && (mentionAll || !mentionMobiles.isEmpty())) {
                problems.add("'mention-mobiles' and 'mention-all' work with 'message-type: text' only: WeCom's "
                        + "markdown notifies user ids alone ('mention-user-ids')");
            }
            for (String mobile : mentionMobiles) {
                if (!MOBILE.matcher(mobile).matches()) {
                    problems.add("'mention-mobiles' holds '" + mobile + "', which is not a mobile number");
                }
            }
            for (String id : mentionUserIds) {
                if (!USER_ID.matcher(id).matches()) {
                    problems.add("'mention-user-ids' holds '" + id + "', which is not a WeCom user id (1 to 64 "
                            + "letters, digits, _ . @ -)");
                }
            }
        }

        /** The webhook's URL, or WeCom's own with the key; null with the problem added when neither works. */
        private URI endpoint(List<String> problems) {
            if (webhook != null && key != null) {
                problems.add("set either 'webhook' or 'key', not both");
                return null;
            }
            if (key != null) {
                if (key.isBlank() || key.strip().chars().anyMatch(c -> Character.isWhitespace(c) || c == '&')) {
                    problems.add("'key' must be the robot's key, the value after key= in its webhook address "
                            + "(value not shown)");
                    return null;
                }
                return DEFAULT_BASE_URL.resolve(SEND_PATH);
            }
            if (webhook == null || webhook.isBlank()) {
                problems.add("'webhook' or 'key' is required: the robot's webhook address, or its key");
                return null;
            }
            try {
                URI uri = WebhookUrl.parse(webhook, DEFAULT_BASE_URL + SEND_PATH + "?key=…");
                if (WebhookUrl.query(uri, "key").isEmpty()) {
                    problems.add("'webhook' has no key parameter; copy the whole webhook address from the robot's "
                            + "settings");
                    return null;
                }
                return uri;
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return null;
            }
        }

        @Override
        public String toString() {
            return "WeComSink.Builder[" + (webhook != null ? "webhook=***" : key != null ? "key=***" : "no robot")
                    + ", " + messageType.msgtype() + "]";
        }
    }
}
