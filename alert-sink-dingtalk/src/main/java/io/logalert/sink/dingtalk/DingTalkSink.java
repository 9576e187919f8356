package io.logalert.sink.dingtalk;

import io.logalert.sink.robot.Limits;
import io.logalert.sink.robot.RobotSettings;
import io.logalert.sink.robot.RobotSink;
import io.logalert.spi.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers digests to a DingTalk custom group robot, within the robot's rules: at most 20 messages in any minute
 * (counted across every sink of the JVM that targets the robot, which is known by its access token however the URL
 * is spelt, and counted when requests reach it), bodies under 20,000 bytes, a security keyword and
 * a signature on every message, and every reply's {@code errcode} checked and acted on.
 *
 * <p>What it does on each call, on every failure and under the budget is the robot core's ({@link RobotSink}): one
 * message per digest, numbered parts for a big one, digests packed when the budget is short; a digest refused for
 * its content (430101–430104) sent again without its log text; a throttled robot (410100/130101) left alone for 10
 * minutes. This class holds DingTalk's settings and rules ({@link DingTalkPlatform}).
 *
 * <pre>{@code
 * AlertSink sink = DingTalkSink.builder()
 *         .webhook("https://oapi.dingtalk.com/robot/send?access_token=...")
 *         .secret("SEC...")
 *         .keywords(List.of("alert"))
 *         .timeZone(ZoneId.of("Asia/Shanghai"))
 *         .locale(Locale.SIMPLIFIED_CHINESE)
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe: calls of {@link #deliver(List)} on one sink run one at a time.
 */
public final class DingTalkSink extends RobotSink {

    /** The type this sink is configured by. */
    public static final String TYPE = "dingtalk";
    /** DingTalk's own endpoint. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://oapi.dingtalk.com");
    /**
     * A title template that says what the default title says in English; the default itself is written in the
     * sink's {@link Builder#locale(Locale) locale} ("shop: 1 error", "shop：12 个错误").
     */
    public static final String DEFAULT_TITLE = "{project}: {events} errors";
    /** DingTalk's limit on messages per robot per minute. */
    public static final int MAX_MESSAGES_PER_MINUTE = 20;
    /** DingTalk's limit on the size of a body; bodies are kept below it. */
    public static final int MAX_BODY_BYTES = 20_000;

    // as DingTalk blocks a robot that sent too fast: for 10 minutes
    private static final Limits LIMITS = new Limits(2_000, MAX_BODY_BYTES, MAX_MESSAGES_PER_MINUTE,
            Duration.ofMinutes(10));

    private DingTalkSink(DingTalkPlatform platform, Builder settings) {
        super(platform, settings);
    }

    /** Starts configuring a sink. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Configures a {@link DingTalkSink}. Set either {@link #webhook(String)} or {@link #accessToken(String)}; every
     * other setting has a default. The settings every robot sink has (title, link, locale, zone, limits, timeouts,
     * retries, clock) come from {@link RobotSettings}. {@link #build()} checks everything at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends RobotSettings<Builder> {

        private String webhook;
        private String accessToken;
        private URI baseUrl = DEFAULT_BASE_URL;
        private String secret;
        private List<String> keywords = List.of();
        private MessageType messageType = MessageType.MARKDOWN;
        private List<String> atMobiles = List.of();
        private List<String> atUserIds = List.of();
        private boolean atAll;

        private Builder() {
            super(LIMITS);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The robot's webhook URL, {@code https://oapi.dingtalk.com/robot/send?access_token=…}. A secret. */
        public Builder webhook(String webhook) {
            this.webhook = Objects.requireNonNull(webhook, "webhook");
            return this;
        }

        /** The robot's access token, sent to {@link #baseUrl(URI)}; instead of a webhook. A secret. */
        public Builder accessToken(String accessToken) {
            this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
            return this;
        }

        /** Where {@code /robot/send} is, with an access token. Default: {@code https://oapi.dingtalk.com}. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /** The robot's signing secret ({@code SEC…}), when it signs. Default: none. A secret. */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** The robot's custom keywords; every message carries one. Default: none. */
        public Builder keywords(List<String> keywords) {
            this.keywords = List.copyOf(keywords);
            return this;
        }

        /** The message type. Default: markdown. */
        public Builder messageType(MessageType messageType) {
            this.messageType = Objects.requireNonNull(messageType, "messageType");
            return this;
        }

        /**
         * A link per digest (the button of an action card), with {@code {project} {from} {to} {from-millis}
         * {to-millis}} filled in URL-encoded; e.g. a Kibana Discover view of the window. Default: none.
         */
        @Override
        public Builder actionUrl(String actionUrl) {
            return super.actionUrl(actionUrl);
        }

        /** Mobile numbers to @mention. Default: none. */
        public Builder atMobiles(List<String> atMobiles) {
            this.atMobiles = List.copyOf(atMobiles);
            return this;
        }

        /** DingTalk user ids to @mention. Default: none. */
        public Builder atUserIds(List<String> atUserIds) {
            this.atUserIds = List.copyOf(atUserIds);
            return this;
        }

        /** Whether to @mention everyone. Default: false. */
        public Builder atAll(boolean atAll) {
            this.atAll = atAll;
            return this;
        }

        /** Bodies are kept below this many UTF-8 bytes, 2,000 to 20,000. Default: 20,000. */
        @Override
        public Builder maxBodyBytes(int maxBodyBytes) {
            return super.maxBodyBytes(maxBodyBytes);
        }

        /** Messages per robot in any 60 seconds, across the JVM, 1 to 20. Default: 20. */
        @Override
        public Builder messagesPerMinute(int messagesPerMinute) {
            return super.messagesPerMinute(messagesPerMinute);
        }

        /** How long a throttled robot (410100/130101) is left alone. Default: 10 minutes, as DingTalk blocks. */
        @Override
        public Builder blockPeriod(Duration blockPeriod) {
            return super.blockPeriod(blockPeriod);
        }

        /**
         * Builds the sink.
         *
         * @throws ConfigException listing every problem of the settings
         */
        public DingTalkSink build() {
            requireNoProblems(TYPE);
            RobotEndpoint endpoint = endpoint(new ArrayList<>());
            DigestRenderer renderer = new DigestRenderer(rendererSettings(DigestRenderer.markup(messageType),
                    keywords, messageType != MessageType.ACTION_CARD), messageType, atMobiles, atUserIds, atAll);
            return new DingTalkSink(new DingTalkPlatform(endpoint, renderer), this);
        }

        @Override
        protected List<String> extraActionUrlSchemes() {
            return List.of("dingtalk");
        }

        @Override
        protected void platformProblems(List<String> problems) {
            endpoint(problems);
            if (secret != null && !secret.startsWith("SEC")) {
                problems.add("'secret' must be the robot's signing secret, which starts with SEC (value not shown)");
            }
            keywordProblems(keywords, problems);
            if (actionUrl().isEmpty() && messageType == MessageType.ACTION_CARD) {
                problems.add("'message-type' actionCard needs 'action-url': the link of its button");
            }
            if (messageType == MessageType.ACTION_CARD && (atAll || !atMobiles.isEmpty() || !atUserIds.isEmpty())) {
                problems.add("'at-mobiles', 'at-user-ids' and 'at-all' work with markdown and text messages only, "
                        + "not actionCard");
            }
            for (String mobile : atMobiles) {
                if (!MOBILE.matcher(mobile).matches()) {
                    problems.add("'at-mobiles' holds '" + mobile + "', which is not a mobile number");
                }
            }
            if (atUserIds.stream().anyMatch(u -> u.isBlank() || u.chars().anyMatch(Character::isWhitespace))) {
                problems.add("'at-user-ids' holds a blank user id or one with spaces");
            }
        }

        private RobotEndpoint endpoint(List<String> problems) {
            Optional<String> signing = Optional.ofNullable(secret);
            if (webhook != null && accessToken != null) {
                problems.add("set either 'webhook' or 'access-token', not both");
                return null;
            }
            if (webhook != null) {
                try {
                    return RobotEndpoint.ofWebhook(webhook, signing);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                    return null;
                }
            }
            if (accessToken == null || accessToken.isBlank()) {
                problems.add("'webhook' or 'access-token' is required: the robot's webhook URL, or its access token");
                return null;
            }
            if (baseUrl.getRawUserInfo() != null) {
                // a user name and password would reach sink names, logs and reasons, which show the host
                problems.add("'base-url' must not hold a user name or password before the host (value not shown)");
                return null;
            }
            String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
                // not echoed: an authority that is not a host (user:pw@ho_st) hides its user info from the check above
                problems.add("'base-url' must be an http(s) URL with a host, such as " + DEFAULT_BASE_URL
                        + " (value not shown)");
                return null;
            }
            return RobotEndpoint.of(baseUrl, accessToken.strip(), signing);
        }

        @Override
        public String toString() {
            return "DingTalkSink.Builder[" + (webhook != null ? "webhook=***"
                    : "base-url=" + (baseUrl.getRawAuthority() != null && baseUrl.getRawAuthority().contains("@")
                            ? "(holds a user name, not shown)" : baseUrl))
                    + ", secret=" + (secret == null ? "none" : "***") + "]";
        }
    }
}
