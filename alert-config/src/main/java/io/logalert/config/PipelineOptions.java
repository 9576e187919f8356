package io.logalert.config;

import io.logalert.DigestOptions;
import io.logalert.KindOptions;
import io.logalert.Realert;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline's options from its configuration, each either as written or the default. The runner passes every option to the
 * builder explicitly, so that what {@code --print-config} shows is what runs; the defaults are the builder's.
 *
 * @param interval        how often a started pipeline runs. Default: 1 minute
 * @param queryDelay      how far behind now a window ends. Default: 30 seconds
 * @param initialLookback where the first window starts, behind now. Default: 10 minutes
 * @param maxWindow       the longest window one run reads. Default: 10 minutes
 * @param lateLookback    how far back windows already read are counted again for late records. Default: 10 minutes
 * @param instance        this instance's name for the lease of a shared state store, or empty for the builder's
 *                        (host, process id and a random part)
 * @param leaseTtl        how long that lease lasts, or empty for the builder's (three intervals, at least 30 s)
 * @param realert         how often a kind may be shown again. Default: every hour
 * @param kinds           how known kinds are remembered. Default: {@link KindOptions#DEFAULTS}
 * @param digests         how digests are cut. Default: {@link DigestOptions#DEFAULTS}
 * @param spoolMaxAge     how long an undelivered digest is offered again. Default: 24 hours
 * @param maxPending      how many undelivered digests are offered again. Default: 10,000
 */
public record PipelineOptions(Duration interval, Duration queryDelay, Duration initialLookback, Duration maxWindow,
        Duration lateLookback, Optional<String> instance, Optional<Duration> leaseTtl, Realert realert,
        KindOptions kinds, DigestOptions digests, Duration spoolMaxAge, int maxPending) {

    static final Duration INTERVAL = Duration.ofMinutes(1);
    static final Duration QUERY_DELAY = Duration.ofSeconds(30);
    static final Duration INITIAL_LOOKBACK = Duration.ofMinutes(10);
    static final Duration MAX_WINDOW = Duration.ofMinutes(10);
    static final Duration LATE_LOOKBACK = Duration.ofMinutes(10);
    static final Duration SPOOL_MAX_AGE = Duration.ofHours(24);
    static final int MAX_PENDING = 10_000;

    /** The builder's and the option records' names for the YAML keys, so that their messages name YAML keys. */
    private static final Map<String, String> YAML_NAMES = Map.ofEntries(
            Map.entry("queryDelay", "query-delay"), Map.entry("initialLookback", "initial-lookback"),
            Map.entry("maxWindow", "max-window"), Map.entry("spoolMaxAge", "spool.max-age"),
            Map.entry("maxPending", "spool.max-pending"), Map.entry("backAfter", "back-after"),
            Map.entry("maxKinds", "max-kinds"), Map.entry("forgetAfter", "forget-after"),
            Map.entry("maxGroups", "max-groups"), Map.entry("maxMessageLength", "max-message-length"),
            Map.entry("maxPeriod", "max-period"), Map.entry("perProject", "per-project"),
            Map.entry("lateLookback", "late-lookback"), Map.entry("leaseTtl", "lease-ttl"));
    private static final Pattern CAMEL = Pattern.compile("\\b(" + String.join("|", YAML_NAMES.keySet()) + ")\\b");
    private static final Pattern ISO_DURATION = Pattern.compile("\\bPT?[0-9][0-9DTHMS.]*\\b");

    /** The options of {@code spec} at {@code base}; a value out of range is a problem, and its default is used. */
    static PipelineOptions of(Specs.Pipeline spec, String base, Problems problems) {
        Realert realert = Realert.DEFAULT;
        Specs.RealertSpec r = spec.realert();
        if (r != null) {
            if (r.off()) {
                realert = Realert.NONE;
            } else {
                Duration period = r.period() != null ? r.period() : Realert.DEFAULT.period();
                boolean exponential = Boolean.TRUE.equals(r.exponential());
                Duration max = r.maxPeriod() != null ? r.maxPeriod() : exponential ? period.multipliedBy(8) : period;
                try {
                    realert = new Realert(period, exponential, max);
                } catch (IllegalArgumentException e) {
                    problems.add(r.pointer(), yaml(e.getMessage()));
                }
            }
        }
        KindOptions kinds = KindOptions.DEFAULTS;
        if (spec.kinds() != null) {
            Specs.Kinds k = spec.kinds();
            try {
                kinds = new KindOptions(or(k.backAfter(), kinds.backAfter()), or(k.maxKinds(), kinds.maxKinds()),
                        or(k.forgetAfter(), kinds.forgetAfter()));
            } catch (IllegalArgumentException e) {
                split(e.getMessage(), base + "/kinds", problems);
            }
        }
        DigestOptions digests = DigestOptions.DEFAULTS;
        if (spec.digests() != null) {
            Specs.Digests d = spec.digests();
            try {
                digests = new DigestOptions(or(d.perProject(), digests.perProject()),
                        or(d.maxGroups(), digests.maxGroups()), or(d.maxMessageLength(), digests.maxMessageLength()));
            } catch (IllegalArgumentException e) {
                split(e.getMessage(), base + "/digests", problems);
            }
        }
        Specs.Spool spool = spec.spool() == null ? new Specs.Spool(null, null) : spec.spool();
        return new PipelineOptions(or(spec.interval(), INTERVAL), or(spec.queryDelay(), QUERY_DELAY),
                or(spec.initialLookback(), INITIAL_LOOKBACK), or(spec.maxWindow(), MAX_WINDOW),
                or(spec.lateLookback(), LATE_LOOKBACK), Optional.ofNullable(spec.instance()),
                Optional.ofNullable(spec.leaseTtl()), realert, kinds,
                digests, or(spool.maxAge(), SPOOL_MAX_AGE), or(spool.maxPending(), MAX_PENDING));
    }

    /**
     * Where a message of the builder or an option record belongs: the YAML key it names, under {@code base}.
     */
    static String pointerOf(String message, String base) {
        Matcher m = CAMEL.matcher(message);
        if (m.find()) {
            String key = YAML_NAMES.get(m.group(1));
            return base + "/" + key.replace('.', '/');
        }
        for (String key : new String[] {"interval", "id", "instance"}) {
            if (message.startsWith(key + " ") || message.startsWith(key + "(")) {
                return base + "/" + key;
            }
        }
        return base;
    }

    /** {@code message} with the builder's option names as YAML keys and ISO durations as the YAML writes them. */
    static String yaml(String message) {
        Matcher names = CAMEL.matcher(message);
        StringBuilder text = new StringBuilder();
        while (names.find()) {
            names.appendReplacement(text, Matcher.quoteReplacement("`" + YAML_NAMES.get(names.group(1)) + "`"));
        }
        names.appendTail(text);
        Matcher durations = ISO_DURATION.matcher(text.toString());
        StringBuilder out = new StringBuilder();
        while (durations.find()) {
            String replacement;
            try {
                replacement = Durations.format(Duration.parse(durations.group()));
            } catch (RuntimeException notADuration) {
                replacement = durations.group();
            }
            durations.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        durations.appendTail(out);
        return out.toString();
    }

    /** "invalid kind options: a; b" as one problem per part, each at the key it names. */
    private static void split(String message, String section, Problems problems) {
        int colon = message.indexOf(": ");
        String parts = colon < 0 ? message : message.substring(colon + 2);
        for (String part : parts.split("; ")) {
            problems.add(pointerOf(part, section), yaml(part));
        }
    }

    private static <T> T or(T value, T defaultValue) {
        return Optional.ofNullable(value).orElse(defaultValue);
    }
}
