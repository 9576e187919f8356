package io.logalert.sink.robot;

import io.logalert.Labels;
import io.logalert.spi.ConfigValidator;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The settings every robot sink has, as the base of a platform sink's builder: the title, links, language and zone,
 * limits, timeouts, retries and the clock. A platform's builder extends it with its own keys (address, secret,
 * message type, mentions) and reports their problems in {@link #platformProblems(List)}; {@link #problems()} gathers
 * every problem at once, in config-key terms, never showing a secret.
 *
 * <pre>{@code
 * public static final class Builder extends RobotSettings<Builder> {
 *     private Builder() { super(LIMITS); }
 *     protected Builder self() { return this; }
 *     protected void platformProblems(List<String> problems) { ... }
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 *
 * @param <B> the platform's builder
 */
public abstract class RobotSettings<B extends RobotSettings<B>> {

    /**
     * A mobile number as the robots take it, for a platform's mention settings; a route's mention of this shape is a
     * mobile, anything else a user id.
     */
    public static final Pattern MOBILE = Pattern.compile("\\+?[0-9][0-9-]{2,19}");

    /** The platform's limits these settings are checked against. */
    protected final Limits limits;

    // null: the title of the shared digest layout, in the sink's labels
    String title;
    String name;
    String actionUrl;
    // null: "Open logs" in the sink's labels
    String actionTitle;
    ZoneId timeZone = ZoneId.systemDefault();
    Locale locale = Locale.ENGLISH;
    int maxMessageLength = 400;
    int maxBodyBytes;
    int messagesPerMinute;
    Duration connectTimeout = Duration.ofSeconds(5);
    Duration requestTimeout = Duration.ofSeconds(10);
    InetSocketAddress proxy;
    int maxAttempts = 3;
    Duration retryBackoff = Duration.ofSeconds(1);
    Duration blockPeriod;
    Clock clock = Clock.systemUTC();
    Sleeper sleeper = Sleeper.system();
    RandomGenerator random = RandomGenerator.getDefault();
    RateBudgets budgets = RateBudgets.shared();

    /** Settings at their defaults for a platform with {@code limits}. */
    protected RobotSettings(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.maxBodyBytes = limits.maxBodyBytes();
        this.messagesPerMinute = limits.messagesPerMinute();
        this.blockPeriod = limits.blockPeriod();
    }

    /** This builder, for chaining. */
    protected abstract B self();

    /** Adds the problems of the platform's own settings to {@code problems}. */
    protected abstract void platformProblems(List<String> problems);

    /** URL schemes an action URL may have besides http and https (an app's own). Default: none. */
    protected List<String> extraActionUrlSchemes() {
        return List.of();
    }

    /**
     * The title template, with {@code {project} {events} {groups} {from} {to} {pipeline}}.
     * Default: "{project}: {events} errors" in the sink's {@link #locale(Locale) locale} ("shop: 1 error",
     * "shop：12 个错误"), as every sink titles a digest.
     */
    public B title(String title) {
        this.title = Objects.requireNonNull(title, "title");
        return self();
    }

    /**
     * The sink's name in reports, logs and a pipeline's pending deliveries. A stable name keeps digests pending
     * for this sink across a change of token or URL. Never put a secret in it. Default:
     * {@code <type>[<host>, robot <fingerprint of the token>]}.
     */
    public B name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a sink name cannot be blank");
        }
        this.name = name.strip();
        return self();
    }

    /**
     * A link per digest, with {@code {project} {from} {to} {from-millis} {to-millis}} filled in URL-encoded; e.g. a
     * Kibana Discover view of the window. Default: none.
     */
    public B actionUrl(String actionUrl) {
        this.actionUrl = Objects.requireNonNull(actionUrl, "actionUrl");
        return self();
    }

    /** The text of the link or button. Default: "Open logs" in the sink's locale ("查看日志"). */
    public B actionTitle(String actionTitle) {
        this.actionTitle = Objects.requireNonNull(actionTitle, "actionTitle");
        return self();
    }

    /** The zone times are shown in, with their offset. Default: this machine's zone (the JVM's default). */
    public B timeZone(ZoneId timeZone) {
        this.timeZone = Objects.requireNonNull(timeZone, "timeZone");
        return self();
    }

    /**
     * The language of the words around log text: English ({@link Locale#ENGLISH}) or Simplified Chinese
     * ({@link Locale#SIMPLIFIED_CHINESE}); see {@link Labels#of(Locale)}. Default: English.
     */
    public B locale(Locale locale) {
        this.locale = Objects.requireNonNull(locale, "locale");
        return self();
    }

    /** Characters of a sample message shown per group, 16 to 10,000. Default: 400. */
    public B maxMessageLength(int maxMessageLength) {
        this.maxMessageLength = maxMessageLength;
        return self();
    }

    /** Bodies are kept below this many UTF-8 bytes, within the platform's limits. Default: the platform's limit. */
    public B maxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        return self();
    }

    /** Messages per robot in any 60 seconds, across the JVM, 1 to the platform's limit. Default: that limit. */
    public B messagesPerMinute(int messagesPerMinute) {
        this.messagesPerMinute = messagesPerMinute;
        return self();
    }

    /**
     * How long to wait for a connection. A connect timeout is not retried within a call: nothing more is sent to
     * the robot until the next. Default: 5 s.
     */
    public B connectTimeout(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        return self();
    }

    /**
     * How long to wait for a reply. A request without a reply in time may still have reached the robot: it is not
     * retried within the call, nothing more is sent to the robot until the next call, and its digests are then
     * sent again (at most once more each per timed-out request, never in a bigger pack). So a call waits for at
     * most one request timeout. Default: 10 s.
     */
    public B requestTimeout(Duration requestTimeout) {
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        return self();
    }

    /** An HTTP proxy to send through. Default: none. */
    public B proxy(InetSocketAddress proxy) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        return self();
    }

    /**
     * Attempts per message on a passing failure (a busy answer, HTTP 5xx or 429, a dropped connection, a reply that
     * is not JSON), 1 to 10; timeouts are not retried within a call. Default: 3.
     */
    public B maxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return self();
    }

    /** The wait before the second attempt; doubled for each further one, with jitter, at most 30 s. Default: 1 s. */
    public B retryBackoff(Duration retryBackoff) {
        this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
        return self();
    }

    /** How long a throttled robot is left alone. Default: as long as the platform blocks it. */
    public B blockPeriod(Duration blockPeriod) {
        this.blockPeriod = Objects.requireNonNull(blockPeriod, "blockPeriod");
        return self();
    }

    /** The clock for the rate budget, blocks and signatures. Default: the system clock. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** How to wait between attempts. Default: {@link Sleeper#system()}. */
    public B sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return self();
    }

    /** The source of backoff jitter. Default: {@link RandomGenerator#getDefault()}. */
    public B random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return self();
    }

    /**
     * The registry of robot budgets the sink counts its messages in. Default: {@link RateBudgets#shared()}, shared by
     * every sink of the JVM, as the platform counts per robot; tests give sinks their own.
     */
    public B budgets(RateBudgets budgets) {
        this.budgets = Objects.requireNonNull(budgets, "budgets");
        return self();
    }

    /**
     * Sets the keys every robot sink has from {@code v}, reporting their problems to it: {@code title},
     * {@code name}, {@code action-url}, {@code action-title}, {@code locale}, {@code time-zone},
     * {@code max-message-length}, {@code max-body-bytes}, {@code messages-per-minute}, {@code connect-timeout},
     * {@code request-timeout}, {@code proxy} ({@code host:port}), {@code max-attempts} and {@code retry-backoff}. A
     * key that is unset keeps this builder's value. A platform's provider reads its own keys, calls this, then adds
     * {@link #problems()} to {@code v} and validates.
     */
    public B read(ConfigValidator v) {
        // unset: the shared layout's title, in the sink's locale
        v.string("title").ifPresent(this::title);
        v.string("name").ifPresent(this::name);
        v.string("action-url").ifPresent(this::actionUrl);
        v.string("action-title").ifPresent(this::actionTitle);
        if (v.string("locale").isPresent()) {
            locale(Labels.read(v, "locale").locale());
        }
        timeZone(v.zone("time-zone", timeZone));
        maxMessageLength(v.integer("max-message-length", maxMessageLength, 16, 10_000));
        if (v.string("max-body-bytes").isPresent()) {
            // only when set: a platform may default it by message type
            maxBodyBytes(v.integer("max-body-bytes", maxBodyBytes, limits.minBodyBytes(), limits.maxBodyBytes()));
        }
        messagesPerMinute(v.integer("messages-per-minute", messagesPerMinute, 1, limits.messagesPerMinute()));
        connectTimeout(v.duration("connect-timeout", connectTimeout));
        requestTimeout(v.duration("request-timeout", requestTimeout));
        v.string("proxy").ifPresent(raw -> proxy(raw).ifPresentOrElse(this::proxy,
                // redacted as ConfigValidator shows values: a proxy address may carry a user name and password
                () -> v.problem("'proxy' must be host:port, e.g. proxy.example.com:3128, was "
                        + ConfigValidator.redact(raw))));
        maxAttempts(v.integer("max-attempts", maxAttempts, 1, 10));
        retryBackoff(v.duration("retry-backoff", retryBackoff));
        return self();
    }

    private static Optional<InetSocketAddress> proxy(String raw) {
        int colon = raw.lastIndexOf(':');
        if (colon <= 0 || colon == raw.length() - 1) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(raw.substring(colon + 1));
            if (port < 1 || port > 65_535) {
                return Optional.empty();
            }
            return Optional.of(InetSocketAddress.createUnresolved(raw.substring(0, colon), port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Throws, listing every problem, unless the settings have none; for a platform builder's {@code build()}.
     *
     * @param type the sink type the exception names ("wecom")
     * @throws io.logalert.spi.ConfigException listing every problem of the settings
     */
    protected final void requireNoProblems(String type) {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new io.logalert.spi.ConfigException(type, problems);
        }
    }

    /**
     * Adds the problems of a robot's custom {@code keywords} (at most 10, none blank) to {@code problems}, for a
     * platform whose robots have them.
     */
    protected static void keywordProblems(List<String> keywords, List<String> problems) {
        if (keywords.size() > 10) {
            problems.add("'keywords' holds " + keywords.size() + " keywords; a robot has at most 10");
        }
        if (keywords.stream().anyMatch(String::isBlank)) {
            problems.add("'keywords' holds a blank keyword");
        }
    }

    /** The link template, when set. */
    protected Optional<String> actionUrl() {
        return Optional.ofNullable(actionUrl);
    }

    /** The characters of a sample message shown per group, as set. */
    protected int maxMessageLength() {
        return maxMessageLength;
    }

    /**
     * The renderer settings of these settings, in the platform's {@code markup}.
     *
     * @param keywords    the robot's keywords, one of which every message must carry; empty when it has none
     * @param linksInText whether the link goes into the text rather than onto a button
     */
    protected MessageRenderer.Settings rendererSettings(Markup markup, List<String> keywords, boolean linksInText) {
        Labels labels = Labels.of(locale);
        return new MessageRenderer.Settings(Optional.ofNullable(title), keywords, Optional.ofNullable(actionUrl),
                actionTitle != null ? actionTitle : labels.openLogs(), linksInText, timeZone, maxMessageLength,
                labels, markup);
    }

    /** Every problem of the settings, the platform's first, in config-key terms; never a secret's value. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        platformProblems(problems);
        if (title != null) {
            for (String unknown : MessageRenderer.unknownPlaceholders(title, MessageRenderer.TITLE_PLACEHOLDERS)) {
                problems.add("'title' has the unknown placeholder " + unknown + "; known: {project}, {events}, "
                        + "{groups}, {from}, {to}, {pipeline}");
            }
            if (title.isBlank()) {
                problems.add("'title' must not be blank");
            }
        }
        try {
            Labels.of(locale);
        } catch (IllegalArgumentException e) {
            problems.add("'locale' must be one of " + String.join(", ", Labels.SUPPORTED) + ", was '"
                    + locale.toLanguageTag() + "'");
        }
        if (actionUrl != null) {
            for (String unknown : MessageRenderer.unknownPlaceholders(actionUrl, MessageRenderer.URL_PLACEHOLDERS)) {
                problems.add("'action-url' has the unknown placeholder " + unknown + "; known: {project}, "
                        + "{from}, {to}, {from-millis}, {to-millis}");
            }
            String url = actionUrl.strip().toLowerCase(Locale.ROOT);
            List<String> schemes = new ArrayList<>(List.of("http", "https"));
            schemes.addAll(extraActionUrlSchemes());
            if (schemes.stream().noneMatch(scheme -> url.startsWith(scheme + "://"))) {
                problems.add("'action-url' must be an http(s)" + extraActionUrlSchemes().stream()
                        .map(scheme -> " or " + scheme + "://").reduce("", String::concat) + " URL, was '"
                        + actionUrl + "'");
            }
        }
        range(problems, "max-message-length", maxMessageLength, 16, 10_000);
        range(problems, "max-body-bytes", maxBodyBytes, limits.minBodyBytes(), limits.maxBodyBytes());
        range(problems, "messages-per-minute", messagesPerMinute, 1, limits.messagesPerMinute());
        range(problems, "max-attempts", maxAttempts, 1, 10);
        positive(problems, "connect-timeout", connectTimeout);
        positive(problems, "request-timeout", requestTimeout);
        if (retryBackoff.isNegative()) {
            problems.add("'retry-backoff' must not be negative, was " + retryBackoff);
        }
        if (blockPeriod.isNegative()) {
            problems.add("blockPeriod must not be negative, was " + blockPeriod);
        }
        return problems;
    }

    private static void range(List<String> problems, String key, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add("'" + key + "' must be from " + min + " to " + max + ", was " + value);
        }
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            problems.add("'" + key + "' must be longer than zero, was " + value);
        }
    }
}
