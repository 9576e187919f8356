package io.logalert.sink.feishu;

import io.logalert.sink.robot.Limits;
import io.logalert.sink.robot.Markups;
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
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Delivers digests to a Feishu (飞书) or Lark custom bot as interactive cards, within the bot's rules: at most 100
 * messages in any minute and 5 in any second (counted across every sink of the JVM that targets the bot, known by
 * its token), bodies under 20,000 bytes, the signature ({@code timestamp} and {@code sign}) in every body when the
 * bot verifies signatures, a keyword in every message when it has keywords, and every reply's {@code code} checked
 * and acted on, whatever its HTTP status: 9499 "too many request" and 11232 leave the bot alone for a minute, 19021
 * (signature), 19022 (IP allow-list) and 19024 (keywords) reject the digests with advice.
 *
 * <p>What it does on each call, on every failure and under the budget is the robot core's ({@link RobotSink}). The
 * webhook's token and the signing secret never appear in a name, a reason, a log line or {@code toString()}.
 *
 * <pre>{@code
 * AlertSink sink = FeishuSink.builder()
 *         .webhook("https://open.feishu.cn/open-apis/bot/v2/hook/...")
 *         .secret("...")
 *         .keywords(List.of("alert"))
 *         .locale(Locale.SIMPLIFIED_CHINESE)
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe: calls of {@link #deliver(List)} on one sink run one at a time.
 */
public final class FeishuSink extends RobotSink {

    /** The type this sink is configured by. */
    public static final String TYPE = "feishu";
    /** Feishu's endpoint, the default domain. */
    public static final URI FEISHU = URI.create("https://open.feishu.cn");
    /** Lark's endpoint ({@code domain: lark}). */
    public static final URI LARK = URI.create("https://open.larksuite.com");
    /** The path of a webhook, before its token. */
    public static final String HOOK_PATH = "/open-apis/bot/v2/hook/";
    /** Feishu's limit on a request body (20 KB, read as 20,000 bytes); bodies are kept below it. */
    public static final int MAX_BODY_BYTES = 20_000;
    /** Feishu's limit on messages per bot per minute. */
    public static final int MAX_MESSAGES_PER_MINUTE = 100;
    /** Feishu's limit on messages per bot per second; the sink waits between messages to keep it. */
    public static final int MAX_MESSAGES_PER_SECOND = 5;

    // an open id (ou_…), a user id or an e-mail address; nothing that could close the tag or start markup
    private static final Pattern MENTION = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    // Feishu documents no block: a throttled bot is left alone for the minute it counts in
    private static final Limits LIMITS = new Limits(2_000, MAX_BODY_BYTES, MAX_MESSAGES_PER_MINUTE,
            Duration.ofMinutes(1), MAX_MESSAGES_PER_SECOND);

    private FeishuSink(FeishuPlatform platform, Builder settings) {
        super(platform, settings);
    }

    /** Starts configuring a sink. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code person} can be @-mentioned in a card: an open id, a user id or an e-mail, not a mobile. */
    static boolean mentionable(String person) {
        return MENTION.matcher(person).matches() && !RobotSettings.MOBILE.matcher(person).matches();
    }

    /**
     * Configures a {@link FeishuSink}. Set either {@link #webhook(String)} or {@link #token(String)} (with
     * {@link #domain(String)}); every other setting has a default. The settings every robot sink has come from
     * {@link RobotSettings}. {@link #build()} checks everything at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends RobotSettings<Builder> {

        private String webhook;
        private String token;
        private String domain = "feishu";
        private String secret;
        private List<String> keywords = List.of();
        private List<String> mentions = List.of();
        private boolean mentionAll;

        private Builder() {
            super(LIMITS);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The bot's webhook URL, {@code https://open.feishu.cn/open-apis/bot/v2/hook/…}. A secret. */
        public Builder webhook(String webhook) {
            this.webhook = Objects.requireNonNull(webhook, "webhook");
            return this;
        }

        /** The token of the bot's webhook alone, sent to {@link #domain(String)}; instead of a webhook. A secret. */
        public Builder token(String token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Where a {@link #token(String) token} is sent: {@code feishu} (open.feishu.cn), {@code lark}
         * (open.larksuite.com) or a base URL such as {@code https://open.feishu.cn}. Default: feishu.
         */
        public Builder domain(String domain) {
            this.domain = Objects.requireNonNull(domain, "domain");
            return this;
        }

        /** The bot's signing secret, when it verifies signatures. Default: none. A secret. */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** The bot's custom keywords; every message carries one. Default: none. */
        public Builder keywords(List<String> keywords) {
            this.keywords = List.copyOf(keywords);
            return this;
        }

        /** Open ids ({@code ou_…}), user ids or e-mail addresses to @mention in every digest. Default: none. */
        public Builder mentionUserIds(List<String> ids) {
            this.mentions = List.copyOf(ids);
            return this;
        }

        /** Whether to @mention everyone (the group must allow it). Default: false. */
        public Builder mentionAll(boolean mentionAll) {
            this.mentionAll = mentionAll;
            return this;
        }

        /**
         * Builds the sink.
         *
         * @throws ConfigException listing every problem of the settings
         */
        public FeishuSink build() {
            requireNoProblems(TYPE);
            URI sendUrl = endpoint(new ArrayList<>());
            String path = sendUrl.getRawPath();
            FeishuPlatform platform = new FeishuPlatform(sendUrl, path.substring(path.lastIndexOf('/') + 1),
                    Optional.ofNullable(secret).map(String::strip), rendererSettings(Markups.larkMd(), keywords,
                            false), mentions, mentionAll);
            return new FeishuSink(platform, this);
        }

        @Override
        protected void platformProblems(List<String> problems) {
            endpoint(problems);
            if (secret != null && secret.isBlank()) {
                problems.add("'secret' must not be blank");
            }
            keywordProblems(keywords, problems);
            for (String person : mentions) {
                if (!mentionable(person)) {
                    problems.add("'mention-user-ids' holds '" + person + "', which is not an open id, user id or "
                            + "e-mail address (1 to 64 letters, digits, _ . @ -; a card cannot mention a mobile)");
                }
            }
        }

        /** The URL requests go to, token included; null with the problem added when there is none. */
        private URI endpoint(List<String> problems) {
            if (webhook != null && token != null) {
                problems.add("set either 'webhook' or 'token', not both");
                return null;
            }
            if (token != null) {
                String bare = token.strip();
                if (bare.isEmpty() || !bare.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-'
                        || c == '_')) {
                    problems.add("'token' must be the last part of the bot's webhook address: letters, digits, - "
                            + "and _ (value not shown)");
                    return null;
                }
                return base(problems).map(base -> URI.create(base + HOOK_PATH + bare)).orElse(null);
            }
            if (webhook == null || webhook.isBlank()) {
                problems.add("'webhook' or 'token' is required: the bot's webhook address, or its token");
                return null;
            }
            try {
                URI uri = WebhookUrl.parse(webhook, FEISHU + HOOK_PATH + "…");
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                if (!path.startsWith(HOOK_PATH) || path.length() == HOOK_PATH.length()
                        || path.indexOf('/', HOOK_PATH.length()) >= 0) {
                    problems.add("'webhook' must end in " + HOOK_PATH + "<token>; copy the whole webhook address "
                            + "from the bot's settings");
                    return null;
                }
                return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + path);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return null;
            }
        }

        private Optional<String> base(List<String> problems) {
            String value = domain.strip();
            if (value.equalsIgnoreCase("feishu")) {
                return Optional.of(FEISHU.toString());
            }
            if (value.equalsIgnoreCase("lark")) {
                return Optional.of(LARK.toString());
            }
            URI uri;
            try {
                uri = new URI(value);
            } catch (java.net.URISyntaxException e) {
                uri = null;
            }
            String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                    || uri.getRawUserInfo() != null) {
                problems.add("'domain' must be feishu, lark or an http(s) base URL with a host and no user name, "
                        + "such as " + LARK + " (value not shown)");
                return Optional.empty();
            }
            String base = uri.toString();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            return Optional.of(base);
        }

        @Override
        public String toString() {
            return "FeishuSink.Builder[" + (webhook != null ? "webhook=***" : token != null ? "token=***, domain="
                    + (domain.contains("@") ? "(not shown)" : domain) : "no bot")
                    + ", secret=" + (secret == null ? "none" : "***") + "]";
        }
    }
}
